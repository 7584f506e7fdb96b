stacks --series 1s --event "a,b=c" jfr/small.jfr
