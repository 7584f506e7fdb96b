spikes --point-covers nxt spikes/two.tsv
