diagnose --kind --pod shop-c --cpu diagnose/onepod_cpu.out --app-prefix org.acme cpu=diagnose/hot.cpu.collapsed
