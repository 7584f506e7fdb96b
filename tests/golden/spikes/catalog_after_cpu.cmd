spikes --baseline 1795920692,1795920704 --min-duration 4 spikes/after_cpu.tsv
