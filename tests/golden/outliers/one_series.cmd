outliers outliers/one.tsv
