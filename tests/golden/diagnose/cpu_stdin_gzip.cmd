gzip -c diagnose/hot.cpu.collapsed | diagnose -e itimer --app-prefix org.acme -n 2
