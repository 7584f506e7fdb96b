diagnose -e cpu --app-prefix org.acme diagnose/hostile.cpu.collapsed
