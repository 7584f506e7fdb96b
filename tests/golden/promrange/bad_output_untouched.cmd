echo keep > $T/out.tsv; promrange -o $T/out.tsv promrange/special.json promrange/malformed.json; echo rc=$?; cat $T/out.tsv; ls $T
