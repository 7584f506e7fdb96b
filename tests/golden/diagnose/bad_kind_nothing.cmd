diagnose --kind
