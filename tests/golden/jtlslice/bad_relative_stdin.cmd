jtlslice --from +1s < jtlslice/v3_0.jtl
