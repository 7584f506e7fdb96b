stacks --top -N --app-prefix org.example.catalog catalog/before/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed
