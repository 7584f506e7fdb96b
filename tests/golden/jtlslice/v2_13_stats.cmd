jtlslice --stats jtlslice/v2_13.jtl
