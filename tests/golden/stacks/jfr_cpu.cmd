stacks jfr/small.jfr
