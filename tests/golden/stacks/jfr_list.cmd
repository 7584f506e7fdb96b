stacks --list jfr/small.jfr jfr/two_chunks.jfr
