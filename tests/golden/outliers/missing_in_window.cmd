outliers -w 100,110 outliers/missing.tsv
