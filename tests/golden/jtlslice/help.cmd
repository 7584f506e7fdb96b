jtlslice --help
