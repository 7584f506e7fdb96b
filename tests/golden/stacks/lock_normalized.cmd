stacks -N catalog/before/profiles/catalog-5d8b9c-g5h6i.lock.collapsed
