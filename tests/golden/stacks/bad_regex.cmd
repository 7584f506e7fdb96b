stacks --focus 'a(b' stacks/annotated.collapsed
