outliers outliers/zeros.tsv
