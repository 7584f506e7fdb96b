jtlslice --series 5s --from +40s --to +50s --label search catalog/after/result.jtl.gz
