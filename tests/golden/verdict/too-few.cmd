verdict -m p99 verdict/too-few.tsv verdict/fast.tsv
