tsplot --dry-run spikes/ragged.tsv
