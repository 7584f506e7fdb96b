flamegraph --height 0 flamegraph/small.collapsed
