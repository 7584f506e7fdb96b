diagnose --kind --pod shop-a --p99 diagnose/lock_p99.out --cpu diagnose/lock_cpu.out --app-prefix org.acme wall=diagnose/lock.wall.collapsed
