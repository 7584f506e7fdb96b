diagnose -e wall --app-prefix org.acme diagnose/io.wall.collapsed
