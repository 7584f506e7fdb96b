verdict --confidence 1.5 verdict/slow.tsv verdict/fast.tsv
