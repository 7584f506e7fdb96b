spikes -o $T/w.tsv spikes/single.tsv && cat $T/w.tsv
