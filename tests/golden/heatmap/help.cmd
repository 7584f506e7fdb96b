heatmap --help
