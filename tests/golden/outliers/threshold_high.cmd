outliers -k 10 outliers/three.tsv
