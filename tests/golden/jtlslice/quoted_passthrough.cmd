jtlslice jtlslice/v5_6_quoted.jtl > $T/out.jtl; cmp $T/out.jtl <(grep -v "^.$" jtlslice/v5_6_quoted.jtl) && echo identical-except-blank-line
