flamegraph -o $T/g.svg flamegraph/zero.collapsed; rc=$?; xmllint --noout $T/g.svg && grep -o ">no samples<" $T/g.svg; exit $rc
