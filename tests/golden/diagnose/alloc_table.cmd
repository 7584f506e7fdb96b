diagnose -e alloc --app-prefix org.acme diagnose/gc.alloc.collapsed
