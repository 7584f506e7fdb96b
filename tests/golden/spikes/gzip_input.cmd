gzip -c spikes/single.tsv > $T/s.gz && spikes $T/s.gz
