stacks stacks/annotated.collapsed --focus
