jtlslice jtlslice/bad_fields.jtl
