jtlslice --code 500 -o $T/o.jtl < jtlslice/v3_0.jtl && cat $T/o.jtl
