#!/usr/bin/env bash
# golden/run.sh BINDIR [PREFIX] - whole-program golden tests.
#
# A case is tests/golden/TOOL/NAME.cmd: one shell command, run from
# testdata/ with BINDIR first in PATH, LC_ALL=C, TZ=UTC, stdin from
# /dev/null and $T a fresh empty directory.  Its expected stdout, stderr
# and exit code are NAME.out, NAME.err and NAME.rc beside it.
# With GOLDEN_UPDATE=1 the expectations are rewritten from the actual
# results (review the diff before committing).
# Prints "PASS PREFIXgolden/TOOL/NAME" or "FAIL ..." (with a diff) per case.
set -u
bindir=$(cd "$1" && pwd)
prefix=${2:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
only=${GOLDEN_ONLY:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for cmd in "$top"/tests/golden/*/*.cmd; do
	[ -e "$cmd" ] || continue
	base=${cmd%.cmd}
	name=golden/$(basename "$(dirname "$cmd")")/$(basename "$base")
	case "$name" in *"$only"*) ;; *) continue ;; esac
	T="$work/t"
	rm -rf "$T" && mkdir -p "$T"
	(cd "$top/testdata" && env T="$T" LC_ALL=C TZ=UTC PATH="$bindir:$PATH" \
		bash -c "$(cat "$cmd")" </dev/null >"$work/out" 2>"$work/err")
	echo $? >"$work/rc"
	if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
		cp "$work/out" "$base.out"
		cp "$work/err" "$base.err"
		cp "$work/rc" "$base.rc"
		echo "UPDATED $name"
		continue
	fi
	ok=1
	for k in out err rc; do
		if ! cmp -s "$work/$k" "$base.$k"; then
			ok=0
			echo "  --- $name: $k differs"
			diff -u "$base.$k" "$work/$k" 2>&1 | head -n 20 | sed 's/^/  /'
		fi
	done
	if [ $ok = 1 ]; then echo "PASS $prefix$name"; else echo "FAIL $prefix$name"; fi
done
