jtlslice --stats -o $T.b catalog/before/result.jtl.gz && verdict --stats --row "label=GET /api/price" -m p99 -m throughput $T.b $T.b
