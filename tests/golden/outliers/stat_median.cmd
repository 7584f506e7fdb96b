outliers --stat median outliers/five.tsv
