spikes --or-changepoint spikes/long/step.tsv
