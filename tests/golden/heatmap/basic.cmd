heatmap heatmap/small.tsv
