diagnose -e lock --app-prefix org.acme diagnose/lock.lock.collapsed
