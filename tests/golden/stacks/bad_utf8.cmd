stacks stacks/bad_utf8.collapsed
