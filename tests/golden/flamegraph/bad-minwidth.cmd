flamegraph --minwidth 5x flamegraph/small.collapsed; echo rc=$?; flamegraph --minwidth 150% flamegraph/small.collapsed; echo rc=$?; flamegraph --minwidth -1 flamegraph/small.collapsed
