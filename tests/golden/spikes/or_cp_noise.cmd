spikes --or-changepoint spikes/long/noise.tsv
