stacks -N stacks/annotated.collapsed
