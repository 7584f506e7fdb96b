spikes --or-changepoint spikes/long/warmup.tsv
