stacks --window 1796131688.25,1796131690.5 -t jfr/small.jfr
