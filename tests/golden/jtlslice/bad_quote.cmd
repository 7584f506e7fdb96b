jtlslice jtlslice/bad_quote.jtl
