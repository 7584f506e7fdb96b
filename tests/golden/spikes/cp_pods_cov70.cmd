spikes --changepoint spikes/long/pods_cov70.tsv
