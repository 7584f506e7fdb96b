spikes -q rps spikes/before_p99_cpu.tsv
