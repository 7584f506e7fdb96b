hotpod p99_by_pod=hotpod/bad/twowindows.tsv
