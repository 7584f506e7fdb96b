head -2 flamegraph/small.collapsed >$T/a; tail -n +3 flamegraph/small.collapsed >$T/b; flamegraph $T/a - <$T/b >$T/1; flamegraph flamegraph/small.collapsed >$T/2; cmp $T/1 $T/2 && echo merged
