outliers -q p99 -w 1795920601,1795920631 spikes/before_p99_cpu.tsv
