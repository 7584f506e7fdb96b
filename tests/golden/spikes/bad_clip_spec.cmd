spikes --clip 5 spikes/single.tsv
