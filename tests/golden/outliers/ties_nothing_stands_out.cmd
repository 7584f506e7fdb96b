outliers outliers/ties.tsv
