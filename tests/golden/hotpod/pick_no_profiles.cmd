hotpod p99_by_pod=hotpod/cpu-hot/p99.tsv
