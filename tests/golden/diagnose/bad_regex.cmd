diagnose -e cpu --app '(' diagnose/hot.cpu.collapsed
