verdict -m p99 -m p50 -m throughput:higher -m error_pct verdict/catalog-before.series.tsv verdict/catalog-after.series.tsv
