spikes --or-changepoint spikes/long/two_spikes.tsv
