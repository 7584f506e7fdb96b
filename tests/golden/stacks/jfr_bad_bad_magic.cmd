stacks --from jfr jfr/bad/bad_magic.jfr
