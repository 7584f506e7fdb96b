stacks < jfr/two_chunks.jfr
