verdict --series label=TOTAL --before-window 1000,1050 --after-window 5000,5050 --no-header -m p99 verdict/slow.tsv verdict/fast.tsv
