stacks --top -N -a jfr/small.jfr
