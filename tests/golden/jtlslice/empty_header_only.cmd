head -1 jtlslice/v3_0.jtl | jtlslice --stats
