spikes --point-covers next spikes/edges.tsv
