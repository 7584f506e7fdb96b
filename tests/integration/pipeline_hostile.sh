#!/usr/bin/env bash
# A run folder made by someone else is data: names that would run code in
# make (`$(shell ...)`, `;`), FIFOs, symbolic links out of the folder and
# pod names that are paths are refused with a message naming them, before
# make expands anything (also for `make -n`); values in report.md are
# escaped; a failed step leaves neither its target nor a .tmp file; normal
# oddities (no cpu profile of the hot pod, an empty lock profile) are
# reported, and a load window that misses the data stops with a message.
set -eu
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top"
tmp=$(mktemp -d)
mark=PWNED-hostile-$$
trap 'rm -rf "$tmp" "$top/$mark" "$top/$mark.2"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
fresh() { rm -rf "${tmp:?}/${1:?}"; cp -R testdata/catalog/before "$tmp/$1"; }
# make under a time limit (a FIFO used to hang it)
mk() { timeout 120 make --no-print-directory -s "$@"; }

# refused NAME MESSAGE MAKE-ARGS...: make fails naming the problem, runs
# nothing from the folder, writes no report and no out/
refused() {
	local name=$1 msg=$2
	shift 2
	if mk "$@" >"$tmp/$name.log" 2>&1; then cat "$tmp/$name.log"; fail "$name: make succeeded"; fi
	grep -qF -- "$msg" "$tmp/$name.log" || { cat "$tmp/$name.log"; fail "$name: no message '$msg'"; }
	[ ! -e "$top/$mark" ] && [ ! -e "$top/$mark.2" ] || fail "$name: the run folder ran a command"
	echo "ok: $name"
}

# 1. a $(shell ...) in a profile name: expanded a second time it ran
fresh shell
touch "$tmp/shell/profiles/x\$(shell touch\$\${IFS}$mark).cpu.collapsed"
for goal in -n ""; do
	refused "shell-name${goal:+ (make -n)}" \
		"check-names: $tmp/shell/profiles/x\$(shell touch\$\${IFS}$mark).cpu.collapsed: file name has a character outside [A-Za-z0-9._-]: refused" \
		$goal report RUN="$tmp/shell"
done
[ ! -e "$tmp/shell/out" ] || fail "shell-name: out/ was made"

# 2. a ';' in a prerequisite list started an inline recipe
fresh semi
touch "$tmp/semi/profiles/x" "$tmp/semi/profiles/x;id>$mark.2;.cpu.collapsed"
for goal in -n ""; do
	refused "semicolon-name${goal:+ (make -n)}" "x;id>$mark.2;.cpu.collapsed: file name has a character outside" \
		$goal report RUN="$tmp/semi"
done
# BASE is checked as well, and a refused folder can still be cleaned
refused semicolon-base "x;id>$mark.2;.cpu.collapsed" report RUN="$tmp/shell" BASE="$tmp/semi"
mk clean-run RUN="$tmp/semi" >/dev/null 2>&1 || fail "clean-run of a refused folder"
mk clean-run RUN="$tmp/shell" >/dev/null 2>&1 || fail "clean-run of a refused folder"
[ ! -e "$top/$mark" ] && [ ! -e "$top/$mark.2" ] || fail "clean-run: the run folder ran a command"
echo "ok: clean-run of refused folders runs nothing"

# 3. a FIFO profile hung make report; a symbolic link out of the folder
fresh fifo
mkfifo "$tmp/fifo/profiles/catalog-5d8b9c-a1b2c.wall.collapsed"
refused fifo "fifo/profiles/catalog-5d8b9c-a1b2c.wall.collapsed: not a regular file" report RUN="$tmp/fifo"
fresh link
ln -s /etc/hostname "$tmp/link/profiles/catalog-5d8b9c-a1b2c.wall.collapsed"
refused symlink-out "link/profiles/catalog-5d8b9c-a1b2c.wall.collapsed: symbolic link leading out of the run folder" \
	report RUN="$tmp/link"
fresh runenvlink
rm "$tmp/runenvlink/run.env" && ln -s "$top/testdata/catalog/before/run.env" "$tmp/runenvlink/run.env"
refused runenv-link-out "runenvlink/run.env: symbolic link leading out of the run folder" report RUN="$tmp/runenvlink"
# a link inside the folder is a file of the folder
fresh linkin
mv "$tmp/linkin/run.env" "$tmp/linkin/facts.env" && ln -s facts.env "$tmp/linkin/run.env"
mk analyze RUN="$tmp/linkin" >"$tmp/linkin.log" 2>&1 || { cat "$tmp/linkin.log"; fail "a link inside the folder was refused"; }
echo "ok: symlink inside the folder accepted"

# 4. RUN itself: missing (not created), or not a plain path
refused missing "check-names: $tmp/missing: no such run folder" report RUN="$tmp/missing"
[ ! -e "$tmp/missing" ] || fail "missing: the run folder was created"
refused bad-run-var "RUN must be one path of letters, digits and . _ - /" report RUN="$tmp/a b"

# 5. a pod name from the metrics that is a path: refused before it is one
fresh badpod
sed -i 's/catalog-5d8b9c-a1b2c/..\/..\/evil/g' "$tmp/badpod/prom/p99_by_pod.json" "$tmp/badpod/prom/cpu_by_pod.json"
rm "$tmp/badpod/profiles/catalog-5d8b9c-a1b2c.cpu.collapsed"
refused bad-pod "series 'pod=../../evil' is not pod=NAME with a Kubernetes pod name: refused" report RUN="$tmp/badpod"
[ ! -e "$tmp/badpod/report.md" ] || fail "bad-pod: a report was written"

# 6. report.md escapes what the run folder says (frames, run.env values)
fresh esc
hot=$tmp/esc/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed
{ echo 'java/lang/Thread.run;org/example/<img src=x onerror=alert(1)>.run 100000'
  echo 'java/lang/Thread.run;org/example/[x](javascript:alert(1)) 90000'
  echo 'java/lang/Thread.run;org/example/Back`tick|pipe 80000'
  cat "$hot"; } > "$hot.new" && mv "$hot.new" "$hot"
sed -i 's/^service=.*/service=<script>alert(1)<\/script>/; s/^namespace=.*/namespace=[ns](javascript:alert(1))/' "$tmp/esc/run.env"
echo 'tools=<img src=x onerror=alert(2)> `id` $(id)' >> "$tmp/esc/run.env"
sed -i 's/^pods=\(.*\)/pods=\1 * <b>x<\/b>/' "$tmp/esc/run.env"
mk report RUN="$tmp/esc" >"$tmp/esc.log" 2>&1 || { cat "$tmp/esc.log"; fail "escaping: make report"; }
r=$tmp/esc/report.md
if grep -n '<img\|<script\|[^\\]](javascript:' "$r"; then fail "escaping: raw HTML or a javascript: link in report.md"; fi
grep -qF '<code>org/example/&lt;img src=x onerror=alert(1)&gt;.run</code>' "$r" || fail "escaping: the frame is not shown as code"
grep -qF 'org/example/\[x\](javascript:alert(1))' "$r" || fail "escaping: the link frame is not escaped"
grep -qF '<code>org/example/Back\`tick\|pipe</code>' "$r" || fail "escaping: a backtick frame is not escaped text"
grep -qF 'Capture: &lt;img src=x onerror=alert(2)&gt; \`id\` $(id).' "$r" || fail "escaping: run.env's tools"
grep -qF '# Investigation: &lt;script&gt;alert(1)&lt;/script&gt; in \[ns\](javascript:alert(1))' "$r" ||
	fail "escaping: service and namespace in the title"
grep -qF '`catalog-5d8b9c-g5h6i`, `*`, <code>&lt;b&gt;x&lt;/b&gt;</code>;' "$r" || fail "escaping: pods"
[ ! -e "$top/$mark" ] || fail "escaping: a command ran"
echo "ok: report.md escapes frames and run.env values"

# 7. a failed step leaves no target and no .tmp; the next make fails again
fresh broken
printf 'main;work x\n' > "$tmp/broken/profiles/catalog-5d8b9c-d3e4f.cpu.collapsed"
if mk report RUN="$tmp/broken" >"$tmp/broken.log" 2>&1; then fail "broken: make succeeded"; fi
grep -q 'catalog-5d8b9c-d3e4f.cpu.collapsed:1' "$tmp/broken.log" || { cat "$tmp/broken.log"; fail "broken: no message naming the profile"; }
left=$(find "$tmp/broken" -name '*.tmp*')
[ -z "$left" ] || fail "broken: temporary files left: $left"
[ ! -e "$tmp/broken/out/top/catalog-5d8b9c-d3e4f.cpu.tsv" ] || fail "broken: the failed step's target was left"
[ ! -e "$tmp/broken/report.md" ] || fail "broken: a report was written"
if mk report RUN="$tmp/broken" >/dev/null 2>&1; then fail "broken: the second make succeeded"; fi
echo "ok: a failed step leaves nothing behind"
fresh noflame
printf '# no samples\n' > "$tmp/noflame/profiles/catalog-5d8b9c-d3e4f.cpu.collapsed"
if mk "$tmp/noflame/out/flame/catalog-5d8b9c-d3e4f.cpu.svg" RUN="$tmp/noflame" >"$tmp/noflame.log" 2>&1; then
	cat "$tmp/noflame.log"; fail "noflame: a profile with no samples gave a flame graph"
fi
[ ! -e "$tmp/noflame/out/flame/catalog-5d8b9c-d3e4f.cpu.svg" ] || fail "noflame: the failed graph was left"
echo "ok: flamegraph's failed graph is deleted"

# 8. no cpu profile of the hot pod, an empty lock profile: reported
fresh nocpu
rm "$tmp/nocpu/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed"
: > "$tmp/nocpu/profiles/catalog-5d8b9c-g5h6i.lock.collapsed"
mk report RUN="$tmp/nocpu" >"$tmp/nocpu.log" 2>&1 || { cat "$tmp/nocpu.log"; fail "nocpu: make report"; }
grep -q '^| Hot pod | \*\*`catalog-5d8b9c-g5h6i`\*\*' "$tmp/nocpu/report.md" || fail "nocpu: hot pod"
grep -q '^Not compared: `catalog-5d8b9c-g5h6i` has no CPU profile' "$tmp/nocpu/report.md" || fail "nocpu: no note on the comparison"
grep -q 'g5h6i.lock.svg) (empty profile: no samples' "$tmp/nocpu/report.md" || fail "nocpu: no note on the empty lock profile"
echo "ok: hot pod without a cpu profile, empty lock profile"

# 9. a load window that misses every point: a message, not "score nan"
fresh miss
sed -i 's/^load_start=.*/load_start=1795990000/; s/^load_end=.*/load_end=1795990100/' "$tmp/miss/run.env"
refused miss "no pod has a value in the window 1795990020,1795990100: it misses the metrics" report RUN="$tmp/miss"
[ ! -e "$tmp/miss/report.md" ] || fail "miss: a report was written"
echo "hostile run folders: ok"
