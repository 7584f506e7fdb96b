flamegraph --version | sed "s/ .*//"
