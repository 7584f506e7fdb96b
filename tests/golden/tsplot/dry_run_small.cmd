tsplot --dry-run -q lat -W tsplot/small.windows -t "it's a title" --ylabel "latency (s)" tsplot/small.tsv
