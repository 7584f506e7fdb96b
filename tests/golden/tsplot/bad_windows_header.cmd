tsplot --dry-run -W spikes/badheader.windows tsplot/days.tsv
