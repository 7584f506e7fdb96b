stacks stacks/garbage.bin
