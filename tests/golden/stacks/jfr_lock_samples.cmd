stacks --event lock --samples jfr/small.jfr
