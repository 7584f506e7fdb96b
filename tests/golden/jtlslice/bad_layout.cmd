jtlslice jtlslice/bad_layout.jtl
