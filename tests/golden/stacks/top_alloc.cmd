stacks --top -N -n 10 catalog/before/profiles/catalog-5d8b9c-g5h6i.alloc.collapsed
