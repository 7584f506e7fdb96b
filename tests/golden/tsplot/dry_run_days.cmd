tsplot --dry-run --tz +2 < tsplot/days.tsv
