gzip -c heatmap/small.tsv | head -c 60 >$T/t.gz; heatmap -o $T/h.html $T/t.gz 2>&1 | sed "s|$T|\$T|"; rc=${PIPESTATUS[0]}; ls $T; exit $rc
