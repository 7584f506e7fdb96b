spikes --or-changepoint spikes/long/load_cov40.tsv
