spikes < spikes/noseries.tsv
