diagnose -e cpu --compare diagnose/hot.cpu.collapsed
