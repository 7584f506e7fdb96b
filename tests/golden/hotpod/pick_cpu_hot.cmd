hotpod --profiles hotpod/p99-study/cpu-run/profiles p99_by_pod=hotpod/cpu-hot/p99.tsv cpu_by_pod=hotpod/cpu-hot/cpu.tsv
