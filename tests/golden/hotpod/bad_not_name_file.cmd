hotpod hotpod/cpu-hot/p99.tsv
