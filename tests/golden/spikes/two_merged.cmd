spikes --merge-gap 6 spikes/two.tsv
