stacks --sort total stacks/annotated.collapsed
