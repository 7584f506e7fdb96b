outliers outliers/three.tsv
