stacks -o $T/out.collapsed stacks/annotated.collapsed && cat $T/out.collapsed && ls $T
