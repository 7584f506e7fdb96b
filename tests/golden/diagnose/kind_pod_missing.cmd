diagnose --kind --pod nosuch --p99 diagnose/lock_p99.out --app-prefix org.acme wall=diagnose/lock.wall.collapsed
