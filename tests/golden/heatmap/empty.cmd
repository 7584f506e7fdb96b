heatmap </dev/null; echo rc=$?; printf "time\tweight\tstack\n" | heatmap -o $T/e.html; echo rc=$?; grep -c "\"cols\":0" $T/e.html
