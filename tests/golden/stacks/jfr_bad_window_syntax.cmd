stacks --window +1 jfr/small.jfr
