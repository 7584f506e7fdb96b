stacks --from jfr jfr/bad/cyclic_type.jfr
