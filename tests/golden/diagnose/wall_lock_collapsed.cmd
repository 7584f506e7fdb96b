diagnose -e wall --app-prefix org.acme --collapsed diagnose/lock.wall.collapsed
