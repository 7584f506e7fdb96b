stacks --help
