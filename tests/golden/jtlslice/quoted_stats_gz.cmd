jtlslice --stats jtlslice/v5_6_quoted.jtl.gz
