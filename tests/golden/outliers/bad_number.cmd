outliers spikes/badnum.tsv
