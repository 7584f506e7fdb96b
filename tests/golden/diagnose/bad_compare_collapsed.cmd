diagnose -e cpu --compare --collapsed diagnose/hot.cpu.collapsed diagnose/hot.cpu.collapsed
