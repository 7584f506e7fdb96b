spikes --below spikes/dip.tsv
