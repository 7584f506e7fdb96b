flamegraph flamegraph/small.collapsed.gz | cmp - <(flamegraph flamegraph/small.collapsed) && echo same
