printf "time\tweight\tstack\n1\t99999999999999999999\ta\n" | heatmap; echo rc=$?; printf "time\tweight\tstack\n1\t9007199254740991\ta\n2\t1\ta\n" | heatmap
