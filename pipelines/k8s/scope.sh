#!/usr/bin/env bash
# scope.sh - the cluster queries narrowed to the service's own pods.
#
# usage: scope.sh RUN NS QUERIES.tsv...
#
# Prints the queries (NAME<TAB>PromQL) with every @SCOPE@ replaced by
# namespace="NS",pod=~"POD1|POD2|..." (the pods of run.env's `pods` key,
# written by capture-pods): on a shared cluster other applications' pods
# would otherwise enter the per-pod series and the hot-pod ranking. Names
# are checked (Kubernetes names: lower-case letters, digits, '-', '.')
# before they go into PromQL; dots are escaped for the regex.
set -eu -o pipefail
prog=${0##*/}
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }
[ $# -ge 3 ] || die "usage: scope.sh RUN NS QUERIES.tsv..."
run=$1 ns=$2
shift 2
[[ $ns =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || die "bad namespace '$ns'"
pods=$(sed -n 's/^pods=//p' "$run/run.env" 2>/dev/null | tail -1) || :
[ -n "$pods" ] || die "$run/run.env: no pods (run capture-pods first)"
re=
for p in $pods; do
	[[ $p =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]] || die "$run/run.env: bad pod name '$p'"
	re+="${re:+|}${p//./\\\\.}"
done
scope="namespace=\"$ns\",pod=~\"$re\""
for q in "$@"; do
	[ -r "$q" ] || die "cannot read query file '$q'"
	while IFS= read -r line || [ -n "$line" ]; do
		printf '%s\n' "${line//@SCOPE@/"$scope"}"
	done <"$q"
done
