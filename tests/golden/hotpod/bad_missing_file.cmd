hotpod p99_by_pod=hotpod/nothere.tsv
