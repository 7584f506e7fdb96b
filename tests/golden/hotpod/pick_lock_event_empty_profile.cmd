hotpod --profiles hotpod/p99-study/cpu-run/profiles --event lock p99_by_pod=hotpod/p99-study/cpu-run/out/hotpod-p99.tsv
