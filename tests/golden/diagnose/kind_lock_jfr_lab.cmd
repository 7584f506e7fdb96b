diagnose --kind --pod shop-c --p99 diagnose/lock_p99.out --cpu diagnose/lock_cpu.out --app-prefix org.example.lab wall=diagnose/empty.wall.collapsed lock=diagnose/lab.lock.collapsed
