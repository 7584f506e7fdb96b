gzip -c verdict/fast.tsv | verdict --series label=TOTAL -m p99 verdict/slow.tsv -
