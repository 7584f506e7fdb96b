jtlslice --label "(GET" jtlslice/v3_0.jtl
