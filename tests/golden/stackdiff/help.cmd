stackdiff --help
