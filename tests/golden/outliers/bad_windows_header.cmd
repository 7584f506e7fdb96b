outliers -W spikes/badheader.windows outliers/five.tsv
