diagnose -e wait --app-prefix org.acme diagnose/io.wait.collapsed
