jtlslice --max-field 20 jtlslice/v3_0.jtl
