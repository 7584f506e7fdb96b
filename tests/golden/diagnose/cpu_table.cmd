diagnose -e cpu --app-prefix org.acme -n 3 diagnose/hot.cpu.collapsed
