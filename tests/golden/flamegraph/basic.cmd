flamegraph flamegraph/small.collapsed >$T/g.svg; rc=$?; xmllint --noout $T/g.svg && cat $T/g.svg; exit $rc
