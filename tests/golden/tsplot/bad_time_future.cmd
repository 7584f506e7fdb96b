tsplot --dry-run tsplot/far_future.tsv
