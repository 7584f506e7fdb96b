diagnose -e lock --app-prefix org.example diagnose/methodleaf.lock.collapsed
