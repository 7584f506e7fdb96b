tsplot --dry-run < spikes/empty.tsv
