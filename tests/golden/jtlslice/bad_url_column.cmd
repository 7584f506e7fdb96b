jtlslice --url x jtlslice/v3_0.jtl
