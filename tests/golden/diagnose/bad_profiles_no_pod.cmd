diagnose --kind --profiles diagnose/run/profiles
