spikes --peers spikes/long/pods_cov40.tsv
