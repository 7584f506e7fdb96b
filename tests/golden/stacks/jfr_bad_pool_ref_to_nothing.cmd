stacks --from jfr jfr/bad/pool_ref_to_nothing.jfr
