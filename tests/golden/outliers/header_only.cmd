head -1 outliers/two.tsv | outliers
