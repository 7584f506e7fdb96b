flamegraph flamegraph/small.collapsed >$T/1; tac flamegraph/small.collapsed | flamegraph >$T/2; flamegraph - <flamegraph/small.collapsed >$T/3; cmp $T/1 $T/2 && cmp $T/1 $T/3 && echo identical
