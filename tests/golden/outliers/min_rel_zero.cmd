outliers --min-rel 0 outliers/three.tsv
