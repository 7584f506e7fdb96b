spikes spikes/notime.tsv
