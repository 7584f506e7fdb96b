diagnose --kind --pod shop-a --profiles diagnose/run/profiles --app-prefix org.acme
