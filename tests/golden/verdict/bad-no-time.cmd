verdict -m p99 verdict/no-time.tsv verdict/fast.tsv
