tsplot --dry-run -W spikes/a.windows spikes/before_cpu.tsv | head -14
