printf "a;b 1\na;b -3\n" | flamegraph; echo rc=$?; printf "a;b 99999999999999999999\n" | flamegraph; echo rc=$?; printf "a 18446744073709551615\nb 1\n" | flamegraph
