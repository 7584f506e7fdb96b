stacks --top -N --no-threads stacks/annotated.collapsed
