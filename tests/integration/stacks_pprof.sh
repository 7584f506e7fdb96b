#!/usr/bin/env bash
# stacks --format pprof as other tools read it: the output decodes with
# protoc against pprof's public profile.proto (tests/pprof/profile.proto),
# its sample types are named for the event, and per function its self and
# total (leaf and inclusive, recursion once) equal `stacks --top`'s rows,
# for collapsed and perf input; the bytes are the same twice and for any
# input order.  With pprof itself (PPROF, or built offline from Debian's
# golang-go and golang-github-google-pprof-dev), `pprof -top` agrees too.
set -u
BIN=${BIN:-build/release/bin}
TOP=${TOP:-.}
TOP=$(cd "$TOP" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v protoc >/dev/null || { echo "needs protoc (protobuf-compiler)"; exit 77; }
cd "$TOP/testdata" || exit 2

decode() { gzip -dc "$1" | protoc --decode=perftools.profiles.Profile -I "$TOP/tests/pprof" profile.proto; }

# protoc's text form to "self<TAB>total<TAB>name" per function, over
# value number $1 (0-based), names unescaped as protoc escapes them
# (backslash, quote; other bytes as octal).
totals() {
	awk -v vi="$1" '
	function unq(s,   out, i, c, d) {
		s = substr(s, 2, length(s) - 2); out = ""
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c != "\\") { out = out c; continue }
			c = substr(s, ++i, 1)
			if (c ~ /[0-7]/) { d = c substr(s, i + 1, 2); i += 2
				out = out sprintf("%c", (substr(d,1,1)*64 + substr(d,2,1)*8 + substr(d,3,1))) }
			else if (c == "n") out = out "\n"; else if (c == "t") out = out "\t"
			else if (c == "r") out = out "\r"; else out = out c
		}
		return out
	}
	/^[a-z_]+ \{$/ { blk = $1; nl = 0; nv = 0; next }
	/^\}$/ {
		if (blk == "sample") {
			v = val[vi]; leaf[loc[0]] += v; split("", seen)
			for (i = 0; i < nl; i++) if (!(loc[i] in seen)) { seen[loc[i]] = 1; tot[loc[i]] += v }
		}
		blk = ""; next
	}
	blk == "sample" && $1 == "location_id:" { loc[nl++] = $2 }
	blk == "sample" && $1 == "value:" { val[nv++] = $2 }
	blk == "location" && $1 == "id:" { lid = $2 }
	blk == "location" && $1 == "function_id:" { lfun[lid] = $2 }
	blk == "function" && $1 == "id:" { fid = $2 }
	blk == "function" && $1 == "name:" { fname[fid] = $2 }
	/^string_table: / { sub(/^string_table: /, ""); str[ns++] = unq($0) }
	END {
		for (l in tot) { n = str[fname[lfun[l]]]; gsub(/\\/, "\\\\", n); gsub(/\t/, "\\t", n)
			printf "%d\t%d\t%s\n", leaf[l] + 0, tot[l], n }
	}' | LC_ALL=C sort -t "$(printf '\t')" -k3
}
ours() { awk -F '\t' 'NR > 1 && ($1 > 0 || $3 > 0) { print $1 "\t" $3 "\t" $5 }' "$1" | LC_ALL=C sort -t "$(printf '\t')" -k3; }
types() { decode "$1" | awk '/^sample_type \{/ { st = 1 } st && /type:|unit:/ { idx[n++] = $2 } /^\}/ { st = 0 }
	/^string_table: / { sub(/^string_table: /, ""); gsub(/"/, ""); s[m++] = $0 }
	END { for (i = 0; i < n; i += 2) printf "%s%s/%s", i ? " " : "", s[idx[i]], s[idx[i + 1]]; print "" }'; }

cases=0
# NAME | stacks options | inputs | expected sample types
while IFS='|' read -r name opts inputs want; do
	# shellcheck disable=SC2086
	"$BIN/stacks" --format pprof $opts -o "$work/$name.pb.gz" $inputs || fail "$name: stacks exit $?"
	# shellcheck disable=SC2086
	"$BIN/stacks" --top $(echo "$opts" | sed -E 's/--(interval|duration) [^ ]+//g; s/--(totals|format pprof)//g') \
		$inputs > "$work/$name.top" || fail "$name: stacks --top exit $?"
	got=$(types "$work/$name.pb.gz")
	[ "$got" = "$want" ] || fail "$name: sample types '$got', expected '$want'"
	decode "$work/$name.pb.gz" > "$work/$name.txt" || fail "$name: protoc cannot decode"
	totals 0 < "$work/$name.txt" > "$work/$name.ours-pprof"
	ours "$work/$name.top" > "$work/$name.ours-top"
	[ -s "$work/$name.ours-top" ] || fail "$name: empty top table"
	diff "$work/$name.ours-top" "$work/$name.ours-pprof" > "$work/$name.diff" ||
		fail "$name: decoded totals differ from stacks --top: $(head -n 5 "$work/$name.diff")"
	# the second value is the first times the interval
	case "$opts" in *--interval*)
		iv=$(decode "$work/$name.pb.gz" | awk '/^period:/ { print $2 }')
		bad=$(awk -v iv="$iv" '/^sample \{/ { n = 0 } /^  value:/ { v[n++] = $2 }
			/^\}/ && n == 2 && v[1] != v[0] * iv { c++ } END { print c + 0 }' "$work/$name.txt")
		[ "$bad" = 0 ] || fail "$name: $bad samples whose second value is not count x $iv" ;;
	esac
	# same bytes twice, and for the inputs in reverse order
	# shellcheck disable=SC2086
	"$BIN/stacks" --format pprof $opts $inputs | cmp -s - "$work/$name.pb.gz" || fail "$name: bytes differ on a second run"
	# shellcheck disable=SC2086
	"$BIN/stacks" --format pprof $opts $(printf '%s\n' $inputs | tac) | cmp -s - "$work/$name.pb.gz" ||
		fail "$name: bytes depend on the input order"
	cases=$((cases + 1))
done <<'EOF_CASES'
cpu|--event cpu --interval 10ms --duration 30|catalog/before/profiles/catalog-5d8b9c-a1b2c.cpu.collapsed catalog/before/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed|samples/count cpu/nanoseconds
cpu-clean|-N --no-threads --event cpu|catalog/before/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed catalog/after/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed|samples/count
wall|--event wall --interval 50ms|catalog/before/profiles/catalog-5d8b9c-g5h6i.wall.collapsed|samples/count wall/nanoseconds
alloc|--event alloc --totals|catalog/before/profiles/catalog-5d8b9c-g5h6i.alloc.collapsed|alloc_space/bytes
lock|--event lock --interval 1us|catalog/before/profiles/catalog-5d8b9c-g5h6i.lock.collapsed|contentions/count delay/nanoseconds
none||stacks/annotated.collapsed stacks/crlf.collapsed|samples/count
perf||stacks/perf-java.txt|samples/count
perf-period|--period|stacks/perf-java.txt|cpu/nanoseconds
perf-merged|--no-threads --event cpu-clock --interval 1ms|stacks/perf-java.txt catalog/before/profiles/catalog-5d8b9c-d3e4f.cpu.collapsed|samples/count cpu/nanoseconds
EOF_CASES

# pprof itself, when it is there or can be built offline
pprof=${PPROF:-}
src=/usr/share/gocode/src/github.com/google/pprof
if [ -z "$pprof" ] && command -v go >/dev/null && [ -d "$src" ]; then
	mkdir -p "$TOP/build/integration"
	pprof=$TOP/build/integration/pprof
	if [ ! -x "$pprof" ]; then
		GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$TOP/build/integration/gocache" \
			GOPROXY=off GOFLAGS= timeout 600 go build -o "$pprof" github.com/google/pprof \
			> "$work/go.log" 2>&1 || { echo "note: building pprof failed: $(tail -n 1 "$work/go.log")"; pprof=; }
	fi
fi
if [ -n "$pprof" ]; then
	for name in cpu wall lock perf; do
		HOME=$work PPROF_TMPDIR=$work timeout 60 "$pprof" -top -symbolize=none -sample_index=0 -nodecount=1000000 \
			-nodefraction=0 -edgefraction=0 "$work/$name.pb.gz" > "$work/$name.pprof" 2> "$work/$name.pprof.err" ||
			fail "$name: pprof -top: $(tail -n 1 "$work/$name.pprof.err")"
		awk 'f { n = $0; sub(/^ *[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +/, "", n); print $1 "\t" $4 "\t" n } / flat +flat%/ { f = 1 }' \
			"$work/$name.pprof" | LC_ALL=C sort -t "$(printf '\t')" -k3 > "$work/$name.pprof-top"
		diff "$work/$name.ours-top" "$work/$name.pprof-top" > "$work/$name.pdiff" ||
			fail "$name: pprof -top differs from stacks --top: $(head -n 6 "$work/$name.pdiff")"
	done
	echo "pprof: $cases profiles decoded, totals equal stacks --top's; pprof -top agrees on 4"
else
	echo "pprof: $cases profiles decoded, totals equal stacks --top's (pprof itself not available)"
fi
exit 0
