spikes --changepoint spikes/long/step.tsv
