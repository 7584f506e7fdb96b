diagnose --kind --app-prefix org.acme wall=diagnose/lock.wall.collapsed
