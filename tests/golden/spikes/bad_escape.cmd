spikes spikes/badescape.tsv
