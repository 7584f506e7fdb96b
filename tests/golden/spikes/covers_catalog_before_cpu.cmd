spikes --point-covers previous --baseline 1795920587,1795920599 --min-duration 4 spikes/before_cpu.tsv
