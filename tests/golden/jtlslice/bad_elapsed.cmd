jtlslice --stats jtlslice/bad_elapsed.jtl
