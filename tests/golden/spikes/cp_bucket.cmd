spikes --changepoint spikes/long/bucket.tsv
