head -1 spikes/single.tsv | spikes
