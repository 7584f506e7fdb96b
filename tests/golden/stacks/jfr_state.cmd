stacks --state SLEEPING -t jfr/small.jfr
