jtlslice --to 2026-04-31T00:00:00Z jtlslice/v3_0.jtl
