stacks --top --by class -n 8 --show '^\[' catalog/before/profiles/catalog-5d8b9c-g5h6i.wall.collapsed
