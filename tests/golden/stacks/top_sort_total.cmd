stacks --top -N --sort total -n 12 catalog/before/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed
