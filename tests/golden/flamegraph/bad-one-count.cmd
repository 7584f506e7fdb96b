flamegraph flamegraph/one-count.folded
