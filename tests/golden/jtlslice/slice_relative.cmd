jtlslice --from +40s --to +40.05s catalog/before/result.jtl.gz
