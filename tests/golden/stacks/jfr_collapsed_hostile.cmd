stacks -t jfr/hostile.jfr
