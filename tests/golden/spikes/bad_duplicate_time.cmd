spikes spikes/duptime.tsv
