stacks --from jfr jfr/bad/chunk_size_small.jfr
