outliers -k -1 outliers/two.tsv
