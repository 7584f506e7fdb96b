verdict --rule verdict/fast.tsv
