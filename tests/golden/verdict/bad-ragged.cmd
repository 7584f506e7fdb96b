verdict -m p99 verdict/ragged.tsv verdict/fast.tsv
