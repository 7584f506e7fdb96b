jtlslice --stats --exclude-label Home jtlslice/v3_1_noheader.jtl
