diagnose -e cpu --pod x diagnose/hot.cpu.collapsed
