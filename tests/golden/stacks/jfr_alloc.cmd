stacks --event alloc -t jfr/small.jfr
