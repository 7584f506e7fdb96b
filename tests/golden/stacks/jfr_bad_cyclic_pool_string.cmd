stacks --from jfr jfr/bad/cyclic_pool_string.jfr
