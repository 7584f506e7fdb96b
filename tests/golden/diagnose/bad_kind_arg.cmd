diagnose --kind diagnose/hot.cpu.collapsed
