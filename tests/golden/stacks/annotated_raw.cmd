stacks stacks/annotated.collapsed
