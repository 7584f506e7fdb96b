spikes spikes/long/load_cov70.tsv
