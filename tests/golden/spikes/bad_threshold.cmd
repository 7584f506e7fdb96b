spikes -k abc spikes/single.tsv
