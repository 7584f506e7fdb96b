diagnose --kind --pod shop-c --p99 diagnose/gc_p99.out --gc diagnose/gc_gc.out --app-prefix org.acme
