stacks --from jfr jfr/bad/truncated_chunk.jfr
