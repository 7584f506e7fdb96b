diagnose -e wall --compare --app-prefix org.acme diagnose/io.wall.collapsed diagnose/lock.wall.collapsed
