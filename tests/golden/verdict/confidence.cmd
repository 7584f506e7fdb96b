verdict --series label=TOTAL --confidence 0.99 --resamples 500 --seed 7 -m p99 verdict/slow.tsv verdict/fast.tsv
