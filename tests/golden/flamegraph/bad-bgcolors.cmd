flamegraph --bgcolors "#12345" flamegraph/small.collapsed
