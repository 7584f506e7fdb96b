spikes --clip 104,108 spikes/blip.tsv
