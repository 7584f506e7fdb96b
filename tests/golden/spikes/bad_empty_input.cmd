spikes spikes/empty.tsv
