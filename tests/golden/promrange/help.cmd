promrange --help
