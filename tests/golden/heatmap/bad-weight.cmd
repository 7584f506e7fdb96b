printf "time\tweight\tstack\n1\t-3\ta\n" | heatmap; echo rc=$?; printf "time\tweight\tstack\n1\t2.5\ta\n" | heatmap; echo rc=$?; printf "time\tweight\tstack\n1\t\ta\n" | heatmap
