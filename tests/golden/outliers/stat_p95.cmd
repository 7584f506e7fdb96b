outliers -s p95 outliers/five.tsv
