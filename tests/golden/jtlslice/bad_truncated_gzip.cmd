jtlslice --stats jtlslice/truncated.jtl.gz
