verdict --help
