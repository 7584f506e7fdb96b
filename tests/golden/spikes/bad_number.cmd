spikes spikes/badnum.tsv
