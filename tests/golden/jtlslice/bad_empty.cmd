jtlslice jtlslice/empty.jtl
