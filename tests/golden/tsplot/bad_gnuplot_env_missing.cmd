GNUPLOT=/nonexistent/gp tsplot -q lat tsplot/small.tsv
