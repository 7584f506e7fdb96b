tsplot --dry-run tsplot/allnan.tsv
