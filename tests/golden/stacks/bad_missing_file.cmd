stacks stacks/annotated.collapsed stacks/no-such-file.collapsed
