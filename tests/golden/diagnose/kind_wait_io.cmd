diagnose --kind --pod shop-c --p99 diagnose/lock_p99.out --cpu diagnose/lock_cpu.out --app-prefix org.acme wall=diagnose/empty.wall.collapsed wait=diagnose/io.wait.collapsed
