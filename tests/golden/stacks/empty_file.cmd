stacks stacks/empty.collapsed; echo rc=$?; stacks --top stacks/empty.collapsed
