flamegraph -o $T/out.svg flamegraph/small.collapsed; echo rc=$?; ls $T; xmllint --noout $T/out.svg && echo valid
