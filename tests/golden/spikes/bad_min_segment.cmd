spikes --changepoint --min-segment 0 spikes/long/noise.tsv
