spikes --changepoint spikes/long/two_spikes.tsv
