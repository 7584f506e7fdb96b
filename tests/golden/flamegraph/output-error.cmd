flamegraph -o $T/no-such-dir/g.svg flamegraph/small.collapsed 2>&1 | sed "s|$T|\$T|"; exit ${PIPESTATUS[0]}
