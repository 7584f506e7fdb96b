verdict -m p42 verdict/slow.tsv verdict/fast.tsv
