stacks --top -N --app '^org/acme/' stacks/annotated.collapsed
