tsplot --dry-run -q lat -W tsplot/far.windows tsplot/small.tsv
