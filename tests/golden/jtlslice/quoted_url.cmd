jtlslice --url "q=a,b" --series 1s jtlslice/v5_6_quoted.jtl
