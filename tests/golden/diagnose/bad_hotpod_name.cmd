diagnose --kind --hotpod diagnose/badpod.hotpod.tsv --profiles diagnose/run/profiles --app-prefix org.acme
