verdict --frobnicate verdict/slow.tsv verdict/fast.tsv
