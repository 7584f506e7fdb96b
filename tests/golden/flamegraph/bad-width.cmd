flamegraph --width abc flamegraph/small.collapsed; echo rc=$?; flamegraph --width 50 flamegraph/small.collapsed
