stacks --top -n 5 --ignore '_\[k\]$' catalog/before/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed
