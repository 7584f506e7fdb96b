spikes --peers spikes/long/noise.tsv
