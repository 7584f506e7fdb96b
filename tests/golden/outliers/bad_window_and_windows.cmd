outliers -w 1,2 -W outliers/five.windows outliers/five.tsv
