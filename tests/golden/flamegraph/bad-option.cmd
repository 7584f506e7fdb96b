flamegraph --frobnicate flamegraph/small.collapsed
