jtlslice --from 2026-02-29T00:00:00Z jtlslice/v3_0.jtl
