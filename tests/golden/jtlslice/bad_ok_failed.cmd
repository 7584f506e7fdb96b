jtlslice --ok --failed jtlslice/v3_0.jtl
