tsplot --gnuplot /nonexistent/gnuplot -q lat -o $T/c.svg tsplot/small.tsv; echo "rc=$?"; ls $T
