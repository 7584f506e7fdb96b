tsplot --gnuplot tsplot/gnuplot-svg -q lat tsplot/small.tsv >/dev/full
