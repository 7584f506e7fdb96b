jtlslice --stats jtlslice/no-such-file.jtl
