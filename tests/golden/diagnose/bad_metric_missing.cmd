diagnose --kind --p99 diagnose/nosuch.out
