spikes --changepoint -k 3 --below spikes/dip.tsv
