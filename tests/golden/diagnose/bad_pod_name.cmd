diagnose --kind --pod '../x' --profiles diagnose/run/profiles --app-prefix org.acme
