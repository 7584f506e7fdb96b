spikes --changepoint spikes/long/noise.tsv
