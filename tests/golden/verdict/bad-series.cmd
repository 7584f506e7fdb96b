verdict --series label=nope -m p99 verdict/slow.tsv verdict/fast.tsv
