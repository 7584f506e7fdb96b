jtlslice --stats -o $T.b catalog/before/result.jtl.gz && jtlslice --stats -o $T.a catalog/after/result.jtl.gz && verdict --stats $T.b $T.a
