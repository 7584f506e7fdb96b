stacks --format samples -t jfr/hostile.jfr
