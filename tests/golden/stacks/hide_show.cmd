stacks -N --show '^org/example/' catalog/after/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed
