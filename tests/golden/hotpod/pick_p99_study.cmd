hotpod --profiles hotpod/p99-study/cpu-run/profiles p99_by_pod=hotpod/p99-study/cpu-run/out/hotpod-p99.tsv cpu_by_pod=hotpod/p99-study/cpu-run/out/hotpod-cpu.tsv
