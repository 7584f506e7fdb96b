stacks -t -a jfr/small.jfr
