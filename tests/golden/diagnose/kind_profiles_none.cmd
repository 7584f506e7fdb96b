diagnose --kind --pod nosuch --profiles diagnose/run/profiles --app-prefix org.acme
