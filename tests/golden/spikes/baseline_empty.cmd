spikes --baseline 1,2 spikes/single.tsv
