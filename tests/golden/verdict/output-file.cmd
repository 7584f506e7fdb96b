verdict --series label=TOTAL -m p99 -o "$T/v.tsv" verdict/slow.tsv verdict/fast.tsv && cat "$T/v.tsv"
