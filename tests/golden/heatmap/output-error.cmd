heatmap -o $T/no-such-dir/h.html heatmap/small.tsv 2>&1 | sed "s|$T|\$T|"; exit ${PIPESTATUS[0]}
