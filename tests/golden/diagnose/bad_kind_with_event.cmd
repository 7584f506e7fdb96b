diagnose --kind -e cpu cpu=diagnose/hot.cpu.collapsed
