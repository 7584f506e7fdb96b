spikes --changepoint --point-covers next spikes/long/load_cov40.tsv
