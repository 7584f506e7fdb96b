jtlslice jtlslice/v3_0.jtl jtlslice/v2_13.jtl
