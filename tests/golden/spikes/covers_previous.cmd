spikes --point-covers previous spikes/edges.tsv
