jtlslice --max-record 100 jtlslice/v3_0.jtl
