diagnose -e wall --app-prefix org.acme diagnose/lock.wall.collapsed
