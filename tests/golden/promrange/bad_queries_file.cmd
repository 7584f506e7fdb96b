cd $T && printf "p99\tup\nbroken line\n" > q.tsv && promrange -f q.tsv --start -1h --step 1m
