diagnose -e wall --app-prefix org.acme /dev/null
