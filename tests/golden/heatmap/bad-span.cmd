printf "time\tweight\tstack\n1000\t1\ta\n33000\t1\ta\n" | heatmap
