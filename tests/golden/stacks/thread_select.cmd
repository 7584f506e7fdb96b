stacks --thread 'exec-2' stacks/annotated.collapsed; stacks --thread 'nomatch' stacks/annotated.collapsed; echo rc=$?
