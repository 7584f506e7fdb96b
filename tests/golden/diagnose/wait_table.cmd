diagnose -e wait --app-prefix org.acme diagnose/lock.wait.collapsed
