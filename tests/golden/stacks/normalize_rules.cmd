stacks --normalize annotations,lines stacks/annotated.collapsed; stacks --normalize tids,lambdas stacks/annotated.collapsed; stacks --normalize addresses stacks/annotated.collapsed
