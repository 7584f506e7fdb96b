mkdir $T/a && printf "name\tfile\tquery\tstart\tend\tstep\nspecial\t../special.json\tup\t1\t2\t3\n" > $T/a/index.tsv && cd $T && promrange --replay a
