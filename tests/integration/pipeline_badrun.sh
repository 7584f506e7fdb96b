#!/usr/bin/env bash
# Bad run folders give a clear message naming what is missing, a failing
# exit status, and no report (not even a partial one).
set -eu
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# expect NAME MESSAGE MAKE-ARGS...: make fails, says MESSAGE, writes no report
expect() {
	local name=$1 msg=$2
	shift 2
	if make --no-print-directory -s "$@" >"$tmp/$name.log" 2>&1; then
		cat "$tmp/$name.log"; fail "$name: make succeeded"
	fi
	grep -qF -- "$msg" "$tmp/$name.log" || { cat "$tmp/$name.log"; fail "$name: no message '$msg'"; }
	[ ! -e "$tmp/$name/report.md" ] || fail "$name: a report was written"
	ls "$tmp/$name"/report.md.tmp* >/dev/null 2>&1 && fail "$name: a partial report was left"
	echo "ok: $name: $msg"
}
fresh() { rm -rf "$tmp/$1"; cp -R testdata/catalog/before "$tmp/$1"; }

fresh nojtl; rm "$tmp/nojtl/result.jtl.gz"
expect nojtl "check-run: $tmp/nojtl: no load-test results (result.jtl.gz or result.jtl)" report RUN="$tmp/nojtl"
fresh noprofiles; rm -r "$tmp/noprofiles/profiles"
expect noprofiles "check-run: $tmp/noprofiles: no profiles (profiles/POD.EVENT.collapsed)" report RUN="$tmp/noprofiles"
fresh ghost; cp "$tmp/ghost/profiles/catalog-5d8b9c-a1b2c.cpu.collapsed" "$tmp/ghost/profiles/catalog-ghost.cpu.collapsed"
expect ghost "profile 'catalog-ghost.cpu': pod 'catalog-ghost' is not in the metrics (prom/p99_by_pod.json)" report RUN="$tmp/ghost"
fresh emptywindow; sed -i 's/^load_end=.*/load_end=1795920561/' "$tmp/emptywindow/run.env"
expect emptywindow "run.env: empty load window (load_start=1795920561, load_end=1795920561)" report RUN="$tmp/emptywindow"
fresh nometrics; rm "$tmp/nometrics/prom/cpu_by_pod.json"
expect nometrics "no prom/cpu_by_pod.json (the saved Prometheus response of query 'cpu_by_pod')" report RUN="$tmp/nometrics"
fresh nointerval; sed -i '/^profile_wall_/d' "$tmp/nointerval/run.env"
expect nointerval "run.env: no capture interval (profile_wall_start/end) for profile 'catalog-5d8b9c-g5h6i.wall'" report RUN="$tmp/nointerval"
fresh badjtl; printf 'timeStamp,elapsed,label\n1795920563151,x,GET\n' | gzip > "$tmp/badjtl/result.jtl.gz"
expect badjtl "result.jtl.gz:2: elapsed is not a whole number: 'x'" report RUN="$tmp/badjtl"
fresh norunenv; rm "$tmp/norunenv/run.env"
expect norunenv "no run.env" report RUN="$tmp/norunenv"
fresh onerun
expect onerun "make verify: BASE is not set" verify RUN="$tmp/onerun"
expect norun "make report: RUN is not set" report
echo "bad run folders: ok"
