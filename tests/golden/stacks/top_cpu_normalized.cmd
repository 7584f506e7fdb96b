stacks --top -N -n 15 catalog/before/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed
