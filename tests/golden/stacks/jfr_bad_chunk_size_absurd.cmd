stacks --from jfr jfr/bad/chunk_size_absurd.jfr
