tsplot --help
