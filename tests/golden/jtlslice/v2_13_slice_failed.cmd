jtlslice --failed jtlslice/v2_13.jtl
