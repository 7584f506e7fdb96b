stacks --top --app '[z-a]' stacks/annotated.collapsed
