spikes spikes/flat.tsv
