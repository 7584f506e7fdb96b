outliers -w 1795920706,1795920736 spikes/after_p99.tsv
