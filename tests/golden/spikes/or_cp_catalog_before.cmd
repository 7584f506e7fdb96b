jtlslice --series 5s --total catalog/before/result.jtl.gz | spikes --or-changepoint -v p99 --point-covers next --clip 1795920581,1795920653
