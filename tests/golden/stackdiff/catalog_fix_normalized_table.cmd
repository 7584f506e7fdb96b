stackdiff -N -t -n 8 catalog/before/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed catalog/after/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed
