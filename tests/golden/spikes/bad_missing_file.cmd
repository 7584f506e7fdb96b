spikes spikes/nonexistent.tsv
