outliers -W outliers/none.windows outliers/two.tsv
