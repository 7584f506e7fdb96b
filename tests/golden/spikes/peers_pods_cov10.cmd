spikes --peers spikes/long/pods_cov10.tsv
