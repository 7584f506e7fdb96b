outliers outliers/five.tsv
