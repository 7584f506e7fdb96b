verdict --window-file verdict/spike.windows --shift 105 -m p99 -m p50 verdict/catalog-before.series.tsv verdict/catalog-after.series.tsv
