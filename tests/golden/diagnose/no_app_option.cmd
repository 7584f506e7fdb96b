diagnose -e cpu diagnose/flat.cpu.collapsed
