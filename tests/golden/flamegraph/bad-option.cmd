flamegraph --frobnicate flamegraph/small.collapsed; echo rc=$?; flamegraph -x flamegraph/small.collapsed; echo rc=$?; flamegraph flamegraph/small.collapsed --title
