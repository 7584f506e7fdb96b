verdict --series label=TOTAL --min-effect 60 -m p99 verdict/slow.tsv verdict/fast.tsv
