stacks --format samples -t -a jfr/small.jfr
