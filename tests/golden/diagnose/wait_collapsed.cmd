diagnose -e wait --collapsed --app-prefix org.acme diagnose/lock.wait.collapsed
