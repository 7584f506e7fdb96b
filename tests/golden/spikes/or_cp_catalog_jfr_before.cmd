jtlslice --series 5s --total catalog-jfr/before/result.jtl.gz | spikes --or-changepoint -v p99 --point-covers next --clip 1796131707,1796131779
