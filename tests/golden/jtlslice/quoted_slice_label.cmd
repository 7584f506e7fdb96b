jtlslice --label "comma|Search" jtlslice/v5_6_quoted.jtl.gz | od -c | head -30
