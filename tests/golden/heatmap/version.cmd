heatmap --version
