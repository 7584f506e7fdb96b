jtlslice --series 1h jtlslice/series_far_apart.jtl | sed -n "1,2p;\$p"; jtlslice --series 1h jtlslice/series_far_apart.jtl | wc -l
