jtlslice --series 5s --total catalog/after/result.jtl.gz | spikes --or-changepoint -v p99 --point-covers next
