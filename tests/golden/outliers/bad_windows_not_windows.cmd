outliers -W outliers/five.tsv outliers/five.tsv
