stacks stacks/annotated.collapsed.gz - < stacks/annotated.collapsed
