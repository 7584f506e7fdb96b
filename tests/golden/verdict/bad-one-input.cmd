verdict verdict/slow.tsv
