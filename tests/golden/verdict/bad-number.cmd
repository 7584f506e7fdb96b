verdict -m p99 verdict/bad-number.tsv verdict/fast.tsv
