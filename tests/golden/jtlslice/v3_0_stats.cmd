jtlslice --stats jtlslice/v3_0.jtl
