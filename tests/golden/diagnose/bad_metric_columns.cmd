diagnose --kind --p99 diagnose/nopeer.out
