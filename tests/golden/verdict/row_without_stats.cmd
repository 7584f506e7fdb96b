verdict --row label=TOTAL verdict/fast.tsv verdict/slow.tsv
