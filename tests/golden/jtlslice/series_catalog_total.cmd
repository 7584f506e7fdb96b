jtlslice --series 10s --total catalog/before/result.jtl.gz
