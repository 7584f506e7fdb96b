verdict --series label=TOTAL -m p99 verdict/fast.tsv verdict/slow.tsv
