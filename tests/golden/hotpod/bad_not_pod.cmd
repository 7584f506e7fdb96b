hotpod p99_by_pod=hotpod/bad/notpod.tsv
