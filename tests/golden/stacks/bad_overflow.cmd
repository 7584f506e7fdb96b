stacks stacks/bad_overflow.collapsed
