printf "a;\377 1\n" | flamegraph
