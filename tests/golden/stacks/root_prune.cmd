stacks -N --root-at 'Server.handle' --prune-from 'Bar.fib|Db.query' stacks/annotated.collapsed
