verdict --before-window 1795920600,1795920630 --after-window 1795920705,1795920735 -m p99 -m p50 verdict/catalog-before.series.tsv verdict/catalog-after.series.tsv
