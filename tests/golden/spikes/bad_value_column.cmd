spikes -v p99 spikes/single.tsv
