jtlslice --stats catalog/before/result.jtl.gz
