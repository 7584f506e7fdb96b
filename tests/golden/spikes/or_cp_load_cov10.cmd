spikes --or-changepoint spikes/long/load_cov10.tsv
