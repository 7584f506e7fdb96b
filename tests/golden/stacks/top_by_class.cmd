stacks --top -N --by class -n 12 catalog/before/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed
