verdict --before-window 10,5 verdict/slow.tsv verdict/fast.tsv
