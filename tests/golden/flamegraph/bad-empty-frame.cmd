flamegraph flamegraph/empty-frame.collapsed
