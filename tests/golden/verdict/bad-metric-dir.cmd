verdict -m p99:faster verdict/slow.tsv verdict/fast.tsv
