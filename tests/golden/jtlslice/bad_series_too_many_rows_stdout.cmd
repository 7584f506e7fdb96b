jtlslice --series 1s jtlslice/series_far_apart.jtl
