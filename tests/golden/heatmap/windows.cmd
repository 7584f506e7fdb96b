heatmap --windows heatmap/windows.tsv heatmap/small.tsv | sed -n "/\"windows\":/,/^}/p"
