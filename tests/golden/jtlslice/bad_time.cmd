jtlslice --from yesterday jtlslice/v3_0.jtl
