flamegraph flamegraph/no-such-file.collapsed
