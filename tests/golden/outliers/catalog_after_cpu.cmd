outliers -s p95 -w 1795920706,1795920736 spikes/after_cpu.tsv
