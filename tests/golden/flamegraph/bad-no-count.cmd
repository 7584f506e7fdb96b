flamegraph flamegraph/no-count.collapsed
