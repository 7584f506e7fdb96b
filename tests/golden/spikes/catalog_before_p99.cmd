spikes -q p99 --baseline 1795920587,1795920599 --min-duration 4 spikes/before_p99_cpu.tsv
