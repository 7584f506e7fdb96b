diagnose diagnose/hot.cpu.collapsed
