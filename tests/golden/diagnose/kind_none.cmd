diagnose --kind --pod shop-c --p99 diagnose/none_p99.out --cpu diagnose/none_cpu.out --gc diagnose/none_gc.out --app-prefix org.acme cpu=diagnose/flat.cpu.collapsed wall=diagnose/lock.wall.collapsed
