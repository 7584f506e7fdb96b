flamegraph flamegraph/empty.collapsed >$T/g.svg; rc=$?; xmllint --noout $T/g.svg && grep -c "no samples" $T/g.svg; exit $rc
