spikes --or-changepoint spikes/long/load_cov70.tsv
