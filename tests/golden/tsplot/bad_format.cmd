tsplot -f jpeg tsplot/days.tsv
