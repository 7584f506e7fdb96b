stacks --format samples stacks/annotated.collapsed
