stacks --bogus stacks/annotated.collapsed
