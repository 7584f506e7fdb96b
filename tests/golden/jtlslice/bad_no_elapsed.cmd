jtlslice --stats jtlslice/bad_no_elapsed.jtl
