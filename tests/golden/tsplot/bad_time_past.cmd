tsplot --dry-run tsplot/far_past.tsv
