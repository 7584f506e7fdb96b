stacks --window 10,5 jfr/small.jfr
