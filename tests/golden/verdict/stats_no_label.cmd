verdict --stats -m p99 verdict/fast.tsv verdict/slow.tsv
