spikes --changepoint --penalty 1e6 spikes/long/load_cov40.tsv
