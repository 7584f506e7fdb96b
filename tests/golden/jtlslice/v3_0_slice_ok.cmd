jtlslice --ok --thread "1-2$" jtlslice/v3_0.jtl
