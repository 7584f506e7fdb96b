spikes --or-changepoint --baseline 1,2 spikes/long/noise.tsv
