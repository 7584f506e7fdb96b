spikes --or-changepoint spikes/long/bucket.tsv
