diagnose -e alloc -n 4 --app-prefix org.example catalog/before/profiles/catalog-5d8b9c-g5h6i.alloc.collapsed
