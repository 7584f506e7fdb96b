heatmap --rows 3 x; echo rc=$?; heatmap --rows 0 x; echo rc=$?; heatmap --frob; echo rc=$?; heatmap --title; echo rc=$?; heatmap --max-pairs 0 x
