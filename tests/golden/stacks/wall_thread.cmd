stacks --thread '^qtp|^HTTP-Dispatcher|^pool' --no-threads -N --prune-from 'ServerImpl\$Exchange.run' catalog/before/profiles/catalog-5d8b9c-g5h6i.wall.collapsed
