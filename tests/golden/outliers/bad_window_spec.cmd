outliers -w 100 outliers/two.tsv
