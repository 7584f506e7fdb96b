stacks --top --format samples jfr/small.jfr
