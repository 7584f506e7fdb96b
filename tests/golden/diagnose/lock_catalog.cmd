diagnose -e lock --app-prefix org.example catalog/before/profiles/catalog-5d8b9c-g5h6i.lock.collapsed
