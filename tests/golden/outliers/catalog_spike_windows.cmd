spikes --baseline 1795920587,1795920599 --min-duration 4 spikes/before_cpu.tsv > $T/w && outliers -W $T/w spikes/before_cpu.tsv | awk -F"\t" "\$9 == \"yes\""
