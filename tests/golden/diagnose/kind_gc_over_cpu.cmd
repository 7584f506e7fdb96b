diagnose --kind --pod shop-c --p99 diagnose/cpu_p99.out --cpu diagnose/cpu_cpu.out --gc diagnose/gc_gc.out --app-prefix org.acme cpu=diagnose/hot.cpu.collapsed alloc=diagnose/gc.alloc.collapsed
