outliers -s p99 outliers/two.tsv
