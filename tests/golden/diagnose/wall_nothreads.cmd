diagnose -e wall --app '^org/acme/' diagnose/nothreads.wall.collapsed
