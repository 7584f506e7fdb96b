spikes spikes/two.tsv
