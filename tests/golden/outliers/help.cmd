outliers --help
