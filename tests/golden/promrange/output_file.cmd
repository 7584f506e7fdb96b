promrange -o $T/out.tsv promrange/special.json && cat $T/out.tsv && ls $T
