jtlslice --series 0s jtlslice/v3_0.jtl
