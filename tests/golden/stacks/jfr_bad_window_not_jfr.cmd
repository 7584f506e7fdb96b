stacks --window +1,+2 stacks/annotated.collapsed
