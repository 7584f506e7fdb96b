tsplot --gnuplot tsplot/gnuplot-cut -q lat -o $T/c.svg tsplot/small.tsv; echo "rc=$?"; ls $T
