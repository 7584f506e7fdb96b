diagnose --kind --pod a --hotpod diagnose/run/hotpod.tsv
