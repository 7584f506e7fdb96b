stacks --from jfr jfr/bad/truncated_header.jfr
