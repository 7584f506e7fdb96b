stacks --series 1s jfr/two_chunks.jfr
