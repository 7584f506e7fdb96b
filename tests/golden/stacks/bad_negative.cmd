stacks stacks/bad_negative.collapsed
