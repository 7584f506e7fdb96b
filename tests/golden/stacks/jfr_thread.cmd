stacks --thread '^worker' jfr/small.jfr
