hotpod p99_by_pod=hotpod/bad/shell.tsv; rc=$?; ls PWNED 2>/dev/null; exit $rc
