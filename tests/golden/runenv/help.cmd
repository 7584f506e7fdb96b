runenv --help
