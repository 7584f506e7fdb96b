diagnose --kind heap=diagnose/hot.cpu.collapsed
