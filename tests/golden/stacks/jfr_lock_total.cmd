stacks --event lock jfr/small.jfr
