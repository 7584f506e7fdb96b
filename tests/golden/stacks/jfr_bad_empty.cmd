stacks --from jfr jfr/bad/empty.jfr
