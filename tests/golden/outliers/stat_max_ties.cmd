outliers -s max outliers/five.tsv
