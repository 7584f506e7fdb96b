diagnose --kind --hotpod diagnose/run/hotpod.tsv --profiles diagnose/run/profiles --p99 diagnose/lock_p99.out --cpu diagnose/lock_cpu.out --app-prefix org.acme
