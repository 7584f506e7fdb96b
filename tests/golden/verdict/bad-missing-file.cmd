verdict verdict/nope.tsv verdict/fast.tsv
