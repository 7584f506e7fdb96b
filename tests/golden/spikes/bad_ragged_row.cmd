spikes spikes/ragged.tsv
