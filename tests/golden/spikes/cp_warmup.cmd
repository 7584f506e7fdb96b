spikes --changepoint spikes/long/warmup.tsv
