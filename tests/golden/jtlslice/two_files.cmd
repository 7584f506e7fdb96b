jtlslice --stats --total jtlslice/v3_0.jtl - < jtlslice/v3_0.jtl
