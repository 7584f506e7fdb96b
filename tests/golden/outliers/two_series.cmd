outliers -w 100,120 outliers/two.tsv
