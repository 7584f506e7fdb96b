verdict --combine verdict/fast.tsv
