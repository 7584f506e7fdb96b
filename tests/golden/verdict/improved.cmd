verdict --series label=TOTAL -m p99 -m tput=throughput:higher verdict/slow.tsv verdict/fast.tsv
