stacks --window +1,1796131690 jfr/small.jfr
