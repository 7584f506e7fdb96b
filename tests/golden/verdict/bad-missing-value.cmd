verdict verdict/slow.tsv verdict/fast.tsv -m
