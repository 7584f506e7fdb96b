spikes spikes/single.tsv
