tsplot --gnuplot tsplot/gnuplot-svg -q lat -o $T/c.svg tsplot/small.tsv; echo "rc=$?"; cat $T/c.svg
