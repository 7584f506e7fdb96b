stacks --top -n 0 stacks/annotated.collapsed; stacks --sort size stacks/annotated.collapsed; stacks --normalize lambda stacks/annotated.collapsed; stacks --from json stacks/annotated.collapsed
