spikes -k 35 spikes/blip.tsv
