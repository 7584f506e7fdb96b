spikes -k 3 spikes/escaped.tsv
