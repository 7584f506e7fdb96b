stacks --from jfr jfr/bad/varint_overflow.jfr
