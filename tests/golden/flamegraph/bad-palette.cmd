flamegraph --colors rainbow flamegraph/small.collapsed
