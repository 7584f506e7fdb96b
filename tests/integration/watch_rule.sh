#!/usr/bin/env bash
# watch_rule.sh - the decision of `make watch` (pipelines/k8s/watch-rule.sh,
# sourced as watch.sh sources it) replayed poll by poll over recorded
# p99-by-pod series. testdata/watch/cases.tsv lists, per case: the series
# (a TSV as promrange writes it, or a saved Prometheus response), the watch's
# start in seconds after the series' first point, the rule's options
# (WATCH_MIN_DURATION, WATCH_PEER_RATIO; the series' step is 2 s), a change
# made to the series first ("-" none; SERIES:FACTOR:FROM:TO multiplies the
# values of SERIES, "*" for every series, at FROM..TO seconds after the
# first point: a slow pod planted in real noise, or every pod slowed at
# once) and the pod the watch must fire on, "none", or "refused" (a pod
# label that is no Kubernetes name: refused with a message). Each poll sees the last 60 s up to its time, every 3 s from the
# watch's start to the series' end (the lab test's WATCH_LOOKBACK and
# WATCH_POLL); the first incident must name that pod and a peer that is
# another pod of the series, or no poll may find one.
# The lab's series (testdata/watch/README.md): three replicas behind nginx
# under a load with a burst, equal ones on a machine kept busy by other
# work (where the pods' own-baseline spikes used to fire) and one hot
# replica; the catalog-jfr sample's Prometheus data (hot replica in a burst).
set -u
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${BIN:-$top/build/release/bin}
cd "$top"
for t in promrange spikes outliers; do
	[ -x "$bin/$t" ] || { echo "skip: $bin/$t is not built"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. pipelines/k8s/lib.sh
. pipelines/k8s/watch-rule.sh
set +e
exec 3>/dev/null
fails=0 cases=0 step=2
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# replay CASE SERIES START MINDUR RATIO CHANGE EXPECT
replay() {
	local name=$1 src=$2 off=$3 change=$6 t0 tend now since got=none
	mindur=$4 ratio=$5 want=$7
	case $src in
	*.json) "$bin/promrange" -o "$tmp/rec.tsv" "$src" || { fail "$name: promrange $src"; return; } ;;
	*) cp "$src" "$tmp/rec.tsv" ;;
	esac
	read -r t0 tend <<<"$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "time") c = i; next }
		{ t = $c + 0; if (m == "" || t < m) m = t; if (t > M) M = t } END { printf "%d %d\n", m, M }' "$tmp/rec.tsv")"
	IFS=: read -r cs cf ca cb <<<"$change"
	awk -F'\t' -v OFS='\t' -v s="$cs" -v f="$cf" -v a=$((t0 + ${ca:-0})) -v b=$((t0 + ${cb:-0})) '
		NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "time") c = i; if ($i == "series") n = i; if ($i == "value") v = i }; print; next }
		s != "-" && (s == "*" || $n == s) && $c >= a && $c <= b && $v != "NaN" { $v = $v * f }
		{ print }' "$tmp/rec.tsv" >"$tmp/all.tsv"
	since=$((t0 + off))
	for ((now = since + 3; now <= tend; now += 3)); do
		awk -F'\t' -v a=$((now - 60)) -v b="$now" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "time") c = i; print; next }
			$c >= a && $c <= b' "$tmp/all.tsv" >"$tmp/cur.tsv"
		watch_decide "$tmp/cur.tsv" "$tmp/win" "$tmp/out" "$since" 2>"$tmp/err"
		case $? in
		0) got="$HOT at +$((now - t0)) s (window +$((WSTART - t0))..+$((WEND - t0)) s, peer $PEER)"; break ;;
		2) got=refused; break ;;
		esac
	done
	cases=$((cases + 1))
	if [ "$want" = refused ]; then
		[ "$got" = refused ] && grep -q 'is not a Kubernetes name' "$tmp/err" &&
			echo "PASS: $name: refused ($(cat "$tmp/err"))" || fail "$name: $got, want a refusal"
	elif [ "$got" = refused ]; then
		fail "$name: refused: $(cat "$tmp/err")"
	elif [ "$want" = none ]; then
		[ "$got" = none ] && echo "PASS: $name: no incident" || fail "$name: fired on $got"
	elif [ "$got" = none ]; then
		fail "$name: no incident, want $want"
	elif [ "$HOT" != "$want" ]; then
		fail "$name: fired on $got, want $want"
	elif [ -z "$PEER" ] || [ "$PEER" = "$HOT" ]; then
		fail "$name: fired on $got: no other pod as the peer"
	else
		echo "PASS: $name: $got"
	fi
}

while IFS=$'\t' read -r name src off mindur ratio change want; do
	case $name in '#'* | '') continue ;; esac
	replay "$name" "$src" "$off" "$mindur" "$ratio" "$change" "$want"
done <testdata/watch/cases.tsv
[ "$cases" -gt 0 ] || fail "no case in testdata/watch/cases.tsv"
echo "watch_rule: $cases cases, $fails failed"
[ "$fails" = 0 ]
