diagnose -e heap diagnose/hot.cpu.collapsed
