hotpod --help
