diagnose --kind --hotpod diagnose/lock_p99.out --profiles diagnose/run/profiles
