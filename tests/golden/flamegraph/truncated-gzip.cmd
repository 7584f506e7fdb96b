flamegraph -o $T/g.svg flamegraph/truncated.collapsed.gz; rc=$?; ls $T; exit $rc
