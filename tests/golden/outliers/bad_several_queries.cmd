outliers spikes/before_p99_cpu.tsv
