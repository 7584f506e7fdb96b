diagnose --kind --pod shop-c --p99 diagnose/gc_p99.out --cpu diagnose/gc_cpu.out --gc diagnose/gc_gc.out --app-prefix org.acme cpu=diagnose/flat.cpu.collapsed alloc=diagnose/gc.alloc.collapsed
