spikes spikes/dip.tsv
