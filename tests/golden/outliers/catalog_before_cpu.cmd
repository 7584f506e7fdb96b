outliers -s p95 -w 1795920601,1795920631 spikes/before_cpu.tsv
