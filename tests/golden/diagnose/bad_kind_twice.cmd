diagnose --kind cpu=diagnose/hot.cpu.collapsed cpu=diagnose/flat.cpu.collapsed
