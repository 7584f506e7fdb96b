stacks --series 0 jfr/small.jfr
