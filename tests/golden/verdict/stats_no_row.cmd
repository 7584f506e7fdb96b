jtlslice --stats -o $T/b catalog/before/result.jtl.gz && cd $T && verdict --stats --row label=nope b b
