diagnose -e cpu --compare -n 8 --app-prefix org.example catalog/before/profiles/catalog-5d8b9c-a1b2c.cpu.collapsed catalog/before/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed
