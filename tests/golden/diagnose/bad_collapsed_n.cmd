diagnose -e cpu --collapsed -n 3 diagnose/hot.cpu.collapsed
