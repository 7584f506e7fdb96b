spikes --peers --ratio 0.5 spikes/long/noise.tsv
