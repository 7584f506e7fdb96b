stacks -N --no-threads --hide '^java/' --hide 'Accessor' stacks/annotated.collapsed
