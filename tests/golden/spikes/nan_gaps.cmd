spikes spikes/gaps.tsv
