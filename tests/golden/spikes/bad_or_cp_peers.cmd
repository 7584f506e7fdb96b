spikes --or-changepoint --peers spikes/long/pods_cov40.tsv
