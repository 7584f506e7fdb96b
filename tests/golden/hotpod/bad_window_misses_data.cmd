hotpod p99_by_pod=hotpod/bad/nan.tsv
