#!/usr/bin/env bash
# The investigation pipeline on run folders of whole-load JFR recordings
# (testdata/catalog-jfr: profiles/POD.jfr, one per pod, before and after the
# fix): every event class of every recording is cut to the spike window
# found from the metrics (out/cut/POD.EVENT.collapsed, each covering 100% of
# it), the report names the hot pod and the culprit from the cuts, the
# before/after comparison cuts the after run over the before run's window
# at the same offset into the load; hostile recording names are refused.
set -eu
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top"
tmp=$(mktemp -d)
mark=PWNED-jfr-$$
trap 'rm -rf "$tmp" "$top/$mark" "$top/$mark.2"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mk() { timeout 300 make --no-print-directory -s "$@" >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "make $*"; }; }
if ! build/release/bin/stacks --help | grep -q -- '--from collapsed|perf|jfr'; then
	echo "skip: this stacks does not read JFR recordings"
	exit 77
fi

# a run folder of testdata/catalog-jfr/NAME: recordings as profiles/POD.jfr
mkrun() { # NAME DEST
	mkdir -p "$2/profiles"
	cp -R "testdata/catalog-jfr/$1/run.env" "testdata/catalog-jfr/$1/result.jtl.gz" \
		"testdata/catalog-jfr/$1/prom" "$2/"
	cp testdata/catalog-jfr/"$1"/profiles/*.jfr "$2/profiles/" 2>/dev/null || :
	for z in testdata/catalog-jfr/"$1"/profiles/*.jfr.gz; do
		gzip -dc "$z" > "$2/profiles/$(basename "$z" .gz)"
	done
	chmod -R u+w "$2"
}
B=$tmp/runs/before A=$tmp/runs/after
mkrun before "$B"
mkrun after "$A"
pods="catalog-5d8b9c-a1b2c catalog-5d8b9c-d3e4f catalog-5d8b9c-g5h6i"
for r in "$B" "$A"; do
	for p in $pods; do [ -s "$r/profiles/$p.jfr" ] || fail "$r: no recording of $p"; done
done

start=$(date +%s.%N)
mk report RUN="$B"
mk report RUN="$A" BASE="$B"
end=$(date +%s.%N)
echo "analysis of both JFR runs: $(echo "$end - $start" | bc) s"

# the facts of the samples' README: hot pod, culprit and its kind
grep -q '^| Hot pod | \*\*`catalog-5d8b9c-g5h6i`\*\*' "$B/report.md" || fail "before: hot pod is not catalog-5d8b9c-g5h6i"
grep -q '^| Top culprit frames | `org/example/catalog/Search$SearchIndex.tokenize` — \*\*CPU-bound\*\*, from `catalog-5d8b9c-g5h6i`.s cpu profile' "$B/report.md" ||
	fail "before: the culprit row is not tokenize, CPU-bound, from the hot pod's cpu profile"
echo "ok: hot pod and culprit"

# the spike window found from the metrics covers the burst: the JTL's
# seconds of more than twice the load's median throughput (+41..+71 s here;
# the samples' README says +40..+70), to within one Prometheus step (2 s) at
# the start, where the first point that stands out stands for the step
# before it (spikes --point-covers)
load_start=$(sed -n 's/^load_start=//p' "$B/run.env")
read -r ws we < <(awk -F '\t' 'NR == 2 { print $2, $3 }' "$B/out/windows/spike.tsv")
build/release/bin/jtlslice --series 1s --total -o "$tmp/tput.tsv" "$B/result.jtl.gz"
col=$(awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "throughput") print i; exit }' "$tmp/tput.tsv")
med=$(tail -n +2 "$tmp/tput.tsv" | cut -f "$col" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
read -r bs be < <(awk -F '\t' -v m="$med" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["throughput"] > 2 * m { if (a == "") a = $c["time"]; b = $c["time"] + 1 }
	END { print a, b }' "$tmp/tput.tsv")
[ -n "$bs" ] || fail "before: no burst in the JTL's throughput"
echo "burst (JTL throughput over twice its median): +$((bs - load_start))..+$((be - load_start)) s"
[ "${ws%.*}" -le $((bs + 2)) ] && [ "${we%.*}" -ge "$be" ] ||
	fail "before: spike window +$((${ws%.*} - load_start))..+$((${we%.*} - load_start)) s does not cover the burst +$((bs - load_start))..+$((be - load_start)) s"
lo=$(( ${ws%.*} > bs ? ${ws%.*} : bs )) hi=$(( ${we%.*} < be ? ${we%.*} : be ))
[ $((hi - lo)) -ge $((be - bs - 2)) ] ||
	fail "before: spike window covers $((hi - lo)) s of the $((be - bs)) s burst"
echo "ok: spike window +$((${ws%.*} - load_start))..+$((${we%.*} - load_start)) s covers $((hi - lo)) s of the burst +$((bs - load_start))..+$((be - load_start)) s"

# every event class of every pod is cut, and covers 100% of the window
for r in "$B" "$A"; do
	for p in $pods; do
		for e in cpu wall lock alloc; do
			[ -f "$r/out/cut/$p.$e.collapsed" ] || fail "$r: no cut $p.$e"
			cov=$(awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
				NR == 2 { print $c["coverage"] }' "$r/out/windows/$p.$e.tsv")
			[ "$cov" = 1.0000 ] || fail "$r: cut $p.$e covers $cov of the spike window"
			grep -q "^| \`$p.$e\` | .* | 100% |" "$r/report.md" || fail "$r: report: $p.$e not at 100%"
		done
		[ -s "$r/out/cut/$p.cpu.collapsed" ] && [ -s "$r/out/cut/$p.wall.collapsed" ] ||
			fail "$r: empty cpu or wall cut of $p"
	done
done
# a cut is exactly the recording read over the window
w=$(awk -F '\t' 'NR == 2 { print $2 "," $3 }' "$B/out/windows/spike.tsv")
build/release/bin/stacks --from jfr --event wall -t --window "$w" -o "$tmp/wall.collapsed" \
	"$B/profiles/catalog-5d8b9c-g5h6i.jfr"
cmp -s "$tmp/wall.collapsed" "$B/out/cut/catalog-5d8b9c-g5h6i.wall.collapsed" ||
	fail "the wall cut is not the recording read over the spike window"
whole=$(build/release/bin/stacks --from jfr --list "$B/profiles/catalog-5d8b9c-g5h6i.jfr" |
	awk -F '\t' '$1 == "jdk.ExecutionSample" { print $2 }')
cut=$(awk '{ n += $NF } END { print n + 0 }' "$B/out/cut/catalog-5d8b9c-g5h6i.cpu.collapsed")
[ "$cut" -gt 0 ] && [ "$whole" -gt "$cut" ] || fail "the cpu cut ($cut samples) is not a part of the recording ($whole)"
echo "ok: 2 runs x 3 pods x 4 events cut, each covering 100% of the spike window"

# hot against normal, and before/after, work on the cuts
[ -s "$B/out/diff/hot-vs-normal.cpu.tsv" ] || fail "before: no hot-vs-normal comparison"
grep -q 'Search\$SearchIndex.tokenize' "$B/out/diff/hot-vs-normal.cpu.tsv" || fail "before: hot-vs-normal misses tokenize"
grep -q '^| Verdict | \*\*improved\*\*' "$A/report.md" || fail "after: verdict is not improved"
[ -s "$A/out/verify/verdict.tsv" ] || fail "after: no verdict table"
# the after run is cut over the before run's window, at the same offset into the load
shift_s=$(( $(sed -n 's/^load_start=//p' "$A/run.env") - load_start ))
read -r as ae < <(awk -F '\t' 'NR == 2 { print $2, $3 }' "$A/out/windows/base-offset.tsv")
[ "$as" = $((${ws%.*} + shift_s)) ] && [ "$ae" = $((${we%.*} + shift_s)) ] ||
	fail "after: before/after window $as..$ae is not the before window moved by $shift_s s"
[ -s "$A/out/diff/before-vs-after.cpu.tsv" ] || fail "after: no before/after profile comparison"
awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["frame"] == "org/example/catalog/Search$SearchIndex.tokenize" { found = 1; if ($c["delta_total%"] >= -20) exit 1 }
	END { exit !found }' "$A/out/diff/before-vs-after.cpu.tsv" ||
	fail "after: tokenize's share did not fall by 20 points in the before/after comparison"
echo "ok: hot-vs-normal, verdict improved, before/after at the same offset"

# the same inputs give the same bytes; touching one recording remakes its cuts
cp "$B/report.md" "$tmp/report.1"
mk clean-run RUN="$B"
mk report RUN="$B"
cmp -s "$tmp/report.1" "$B/report.md" || fail "before: a second analysis gives another report"
timeout 120 make --no-print-directory -q "$B/report.md" RUN="$B" >/dev/null 2>&1 || fail "before: not up to date after a report"
touch "$B/profiles/catalog-5d8b9c-a1b2c.jfr"
make --no-print-directory -n report RUN="$B" > "$tmp/n.log" 2>&1
grep -q "out/cut/catalog-5d8b9c-a1b2c.lock.collapsed" "$tmp/n.log" || fail "touching a recording does not remake its cuts"
! grep -q "out/cut/catalog-5d8b9c-g5h6i" "$tmp/n.log" || fail "touching one recording remakes another pod's cuts"
echo "ok: reproducible and incremental"

# refused NAME MESSAGE MAKE-ARGS...: make fails naming the problem, runs nothing from the folder
refused() {
	local name=$1 msg=$2
	shift 2
	if timeout 120 make --no-print-directory -s "$@" >"$tmp/$name.log" 2>&1; then
		cat "$tmp/$name.log"; fail "$name: make succeeded"
	fi
	grep -qF -- "$msg" "$tmp/$name.log" || { cat "$tmp/$name.log"; fail "$name: no message '$msg'"; }
	[ ! -e "$top/$mark" ] && [ ! -e "$top/$mark.2" ] || fail "$name: the run folder ran a command"
	echo "ok: $name"
}
fresh() { rm -rf "${tmp:?}/$1"; mkrun before "$tmp/$1"; }
fresh shell
cp "$tmp/shell/profiles/catalog-5d8b9c-a1b2c.jfr" "$tmp/shell/profiles/x\$(shell touch\$\${IFS}$mark).jfr"
for goal in -n ""; do
	refused "jfr shell-name${goal:+ (make -n)}" \
		"x\$(shell touch\$\${IFS}$mark).jfr: file name has a character outside [A-Za-z0-9._-]: refused" \
		$goal report RUN="$tmp/shell"
done
[ ! -e "$tmp/shell/out" ] || fail "jfr shell-name: out/ was made"
fresh semi
: > "$tmp/semi/profiles/x"
cp "$tmp/semi/profiles/catalog-5d8b9c-a1b2c.jfr" "$tmp/semi/profiles/x;id>$mark.2;.jfr"
refused "jfr semicolon-name" "x;id>$mark.2;.jfr: file name has a character outside" report RUN="$tmp/semi"
fresh fifo
rm "$tmp/fifo/profiles/catalog-5d8b9c-a1b2c.jfr" && mkfifo "$tmp/fifo/profiles/catalog-5d8b9c-a1b2c.jfr"
refused "jfr fifo" "fifo/profiles/catalog-5d8b9c-a1b2c.jfr: not a regular file" report RUN="$tmp/fifo"
fresh link
rm "$tmp/link/profiles/catalog-5d8b9c-a1b2c.jfr" && ln -s /etc/hostname "$tmp/link/profiles/catalog-5d8b9c-a1b2c.jfr"
refused "jfr symlink-out" "link/profiles/catalog-5d8b9c-a1b2c.jfr: symbolic link leading out of the run folder" report RUN="$tmp/link"
# a recording of a pod the metrics do not know, and run.env without the recording's interval
fresh stranger
cp "$tmp/stranger/profiles/catalog-5d8b9c-a1b2c.jfr" "$tmp/stranger/profiles/catalog-5d8b9c-zzzzz.jfr"
refused "jfr unknown pod" "pod 'catalog-5d8b9c-zzzzz' is not in the metrics" report RUN="$tmp/stranger"
fresh noiv
sed -i '/^profile_jfr_/d' "$tmp/noiv/run.env"
refused "jfr no interval" "recordings (profiles/POD.jfr) need profile_jfr_start and profile_jfr_end" report RUN="$tmp/noiv"
# a file that is not a recording stops at its cut, leaving no cut file behind
fresh notjfr
echo 'a;b 1' > "$tmp/notjfr/profiles/catalog-5d8b9c-a1b2c.jfr"
refused "jfr not a recording" "notjfr/profiles/catalog-5d8b9c-a1b2c.jfr: chunk 1 at byte 0: bad magic, not a JFR chunk" report RUN="$tmp/notjfr"
[ ! -e "$tmp/notjfr/out/cut/catalog-5d8b9c-a1b2c.cpu.collapsed" ] && [ ! -e "$tmp/notjfr/report.md" ] ||
	fail "jfr not a recording: a cut or a report was written"
# recordings that miss the spike window: empty cuts, "none" in the report, no failure
fresh early
sed -i 's/^profile_jfr_start=.*/profile_jfr_start=1796131690/; s/^profile_jfr_end=.*/profile_jfr_end=1796131700/' "$tmp/early/run.env"
mk report RUN="$tmp/early"
[ ! -s "$tmp/early/out/cut/catalog-5d8b9c-g5h6i.cpu.collapsed" ] || fail "early: a cut outside the recording has samples"
grep -q '^| `catalog-5d8b9c-g5h6i.cpu` | .* | none |' "$tmp/early/report.md" || fail "early: coverage is not none"
echo "ok: recordings that miss the spike window give empty cuts"
echo "pipeline on JFR run folders: ok"
