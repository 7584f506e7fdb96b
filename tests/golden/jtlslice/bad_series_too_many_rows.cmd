jtlslice --series 1s -o $T/s.tsv jtlslice/series_far_apart.jtl; echo "rc=$?"; ls $T
