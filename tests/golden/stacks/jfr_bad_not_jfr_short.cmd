stacks --from jfr jfr/bad/not_jfr_short.jfr
