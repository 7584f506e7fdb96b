outliers -W outliers/five.windows outliers/five.tsv
