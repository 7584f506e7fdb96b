diagnose --kind --app-prefix org.acme cpu=diagnose/hot.cpu.collapsed
