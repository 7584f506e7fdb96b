spikes --peers --changepoint spikes/long/noise.tsv
