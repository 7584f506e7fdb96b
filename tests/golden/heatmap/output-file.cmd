heatmap -o $T/out.html heatmap/small.tsv; echo rc=$?; ls $T; head -c 15 $T/out.html; echo
