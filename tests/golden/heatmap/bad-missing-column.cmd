printf "time\tstack\n1\ta\n" | heatmap -o $T/x.html; rc=$?; ls $T; exit $rc
