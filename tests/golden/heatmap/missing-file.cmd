heatmap heatmap/no-such-file.tsv
