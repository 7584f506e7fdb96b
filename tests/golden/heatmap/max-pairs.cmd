heatmap --max-pairs 2 heatmap/small.tsv
