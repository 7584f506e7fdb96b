stacks --from jfr jfr/bad/cp_offset_outside.jfr
