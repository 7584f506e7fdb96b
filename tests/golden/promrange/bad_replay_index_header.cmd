mkdir $T/a && printf "name\tfile\n" > $T/a/index.tsv && cd $T && promrange --replay a
