stacks --from jfr jfr/bad/chunk_size_zero.jfr
