stacks stacks/annotated.collapsed jfr/small.jfr | tail -n 3
