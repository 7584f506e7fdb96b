stacks --from jfr jfr/bad/cyclic_checkpoints.jfr
