tsplot --dry-run tsplot/small.tsv
