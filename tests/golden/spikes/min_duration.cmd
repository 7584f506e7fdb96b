spikes --min-duration 2 spikes/blip.tsv
