verdict --shift 5 -m p99 verdict/catalog-before.series.tsv verdict/catalog-after.series.tsv
