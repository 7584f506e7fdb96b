stackdiff -s -t -n 15 catalog/before/profiles/catalog-5d8b9c-a1b2c.cpu.collapsed catalog/before/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed
