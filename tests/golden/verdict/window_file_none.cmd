verdict --window-file verdict/none.windows -m p99 verdict/catalog-before.series.tsv verdict/catalog-after.series.tsv
