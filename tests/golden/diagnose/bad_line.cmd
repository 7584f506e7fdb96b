diagnose -e cpu diagnose/bad.cpu.collapsed
