tsplot --dry-run -q rps -o $T/p.gp tsplot/small.tsv && cat $T/p.gp
