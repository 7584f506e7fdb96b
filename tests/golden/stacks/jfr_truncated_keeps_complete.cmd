stacks -o $T/out jfr/bad/truncated_chunk.jfr; echo rc=$?; cat $T/out
