tsplot --size 50x5000 tsplot/days.tsv
