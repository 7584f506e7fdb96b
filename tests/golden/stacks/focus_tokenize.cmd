stacks -N --focus 'Search\$SearchIndex.tokenize' --root-at 'tokenize' catalog/before/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed | head -n 8
