spikes --peers --baseline 1,2 spikes/long/noise.tsv
