spikes --merge-gap 2 spikes/gaps.tsv
