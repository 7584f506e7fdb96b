diagnose -e cpu --compare --app-prefix org.acme diagnose/flat.cpu.collapsed diagnose/hot.cpu.collapsed
