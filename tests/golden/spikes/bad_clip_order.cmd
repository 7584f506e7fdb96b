spikes --clip 9,5 spikes/single.tsv
