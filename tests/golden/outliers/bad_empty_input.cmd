outliers < spikes/empty.tsv
