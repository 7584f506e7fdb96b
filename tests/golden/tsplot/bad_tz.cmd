tsplot --tz CEST tsplot/days.tsv
