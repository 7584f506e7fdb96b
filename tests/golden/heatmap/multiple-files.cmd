heatmap heatmap/small.tsv heatmap/hostile.tsv | sed -n "/\"start\":/p"
