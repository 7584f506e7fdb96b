diagnose --kind --hotpod diagnose/runjfr/hotpod.tsv --profiles diagnose/runjfr/profiles --p99 diagnose/lock_p99.out --cpu diagnose/lock_cpu.out --app-prefix org.acme
