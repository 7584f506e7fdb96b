#!/usr/bin/env bash
# image_build.sh - the toolkit image (Dockerfile) built for real, offline
# from any registry: a Debian base is made locally (debootstrap
# --variant=minbase into a folder, `docker import`, tagged as the
# Dockerfile's FROM, and kept as the cache of later runs), the Dockerfile is
# built unchanged, and the image runs `make report` over the bundled sample
# (testdata/catalog, before and after) as its non-root user with a
# read-only root; every file of the reports must equal the host's, byte for
# byte. Then the analysis Job's own command (k8s/analysis) runs in the image
# over a volume: it writes the report, and refuses a hostile run name.
# Each step's time is printed. Skips (77) without Docker or debootstrap.
#
# Environment: DEBIAN_MIRROR (debootstrap's, default http://deb.debian.org/debian).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$TOP" || exit 2
BIN=${BIN:-$TOP/build/release/bin}
skip() { echo "SKIP image_build: $*"; exit 77; }
command -v docker >/dev/null 2>&1 || skip "docker is not installed (Debian package docker.io)"
timeout 20 docker info >/dev/null 2>&1 || skip "the Docker daemon does not answer (start dockerd)"
[ "$(id -u)" = 0 ] || skip "needs root (debootstrap)"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
python3 -c "import yaml" 2>/dev/null || skip "python3-yaml is not installed"
[ -x "$BIN/stacks" ] || { echo "FAIL image_build: no tools in $BIN (make all first)"; exit 1; }

fails=0
pass() { echo "PASS image_build/$1"; }
fail() { echo "FAIL image_build/$1${2:+: $2}"; fails=$((fails + 1)); }
T=$(mktemp -d)
R=runs/image-check-$$
IMG=jvmperf-test-toolkit:check
cleanup() {
	local s=$?
	trap - EXIT INT TERM
	docker rm -f "jvmperf-test-image-$$" >/dev/null 2>&1
	[ -z "${NS:-}" ] || "$TOP/tests/containers/kubectl" delete pod -n "$NS" fx-helper --now --ignore-not-found >/dev/null 2>&1
	rm -rf "$T" "$TOP/$R"
	exit "$s"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
t0=$SECONDS
took() { echo "  ($1: $((SECONDS - t0)) s)"; t0=$SECONDS; }

# 1. the base image, made here once and then reused
base=$(awk 'toupper($1) == "FROM" { print $2; exit }' Dockerfile)
[ -n "$base" ] || { echo "FAIL image_build: no FROM in Dockerfile"; exit 1; }
if docker image inspect "$base" >/dev/null 2>&1; then
	pass "base/$base (cached)"
else
	command -v debootstrap >/dev/null 2>&1 || skip "no $base image and debootstrap is not installed"
	suite=${base#*:}
	suite=${suite%%-*}
	mkdir -p "$T/root"
	if ! timeout 900 debootstrap --variant=minbase "$suite" "$T/root" \
		"${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$T/debootstrap.log" 2>&1; then
		tail -n 20 "$T/debootstrap.log"
		skip "debootstrap of $suite failed (no access to the Debian archive?)"
	fi
	rm -rf "$T"/root/var/cache/apt/archives/*.deb "$T"/root/var/lib/apt/lists/*
	if tar --numeric-owner -C "$T/root" -cf - . |
		docker import --change 'CMD ["bash"]' --change 'LABEL org.jvmperf.base=debootstrap' - "$base" >/dev/null; then
		pass "base/$base (debootstrap $suite, imported)"
	else
		echo "FAIL image_build/base: docker import failed"; exit 1
	fi
	rm -rf "$T/root"
fi
took "base image"

# 2. the Dockerfile, unchanged
if timeout 1800 docker build -t "$IMG" . >"$T/build.log" 2>&1; then
	pass build
else
	tail -n 30 "$T/build.log"
	echo "FAIL image_build/build"; exit 1
fi
took "docker build"
user=$(docker image inspect -f '{{.Config.User}}' "$IMG")
case $user in 0 | 0:* | root* | '') fail non-root "the image's user is '$user'" ;; *) pass "non-root ($user)" ;; esac
if docker run --rm --network none "$IMG" sh -c 'command -v jattach && command -v gnuplot && command -v stacks && command -v tar' >"$T/tools.out" 2>&1; then
	pass "tools ($(paste -sd' ' "$T/tools.out"))"
else
	cat "$T/tools.out"; fail tools "jattach, gnuplot, stacks or tar missing"
fi
took "image checks"

# 3. the same report in the image and here
mkdir -p "$T/runs/${R#runs/}" "$TOP/$R"
cp -Rp testdata/catalog/before testdata/catalog/after "$T/runs/${R#runs/}/"
cp -Rp testdata/catalog/before testdata/catalog/after "$TOP/$R/"
chown -R 10001:10001 "$T/runs"
args=(report "RUN=$R/after" "BASE=$R/before" "AN_ALSO=$R/before/report.md")
if ! make --no-print-directory -j2 AN_BIN="$BIN" "${args[@]}" >"$T/host.log" 2>&1; then
	cat "$T/host.log"; echo "FAIL image_build/host-report"; exit 1
fi
took "report on the host"
if docker run --rm --name "jvmperf-test-image-$$" --network none --read-only --tmpfs /tmp \
	-v "$T/runs:/opt/jvmperf/runs" "$IMG" make --no-print-directory -j2 "${args[@]}" >"$T/image.log" 2>&1; then
	pass report-in-image
else
	cat "$T/image.log"; fail report-in-image
fi
took "report in the image"
if [ -s "$TOP/$R/after/report.md" ] && diff -r "$TOP/$R" "$T/runs/${R#runs/}" >"$T/diff.txt"; then
	pass "same-bytes ($(find "$TOP/$R" -type f -path '*/out/*' | wc -l) derived files and 2 reports)"
else
	head -n 20 "$T/diff.txt"; fail same-bytes "the image's report differs from the host's"
fi

# 4. the analysis Job's command (k8s/analysis), in the image, over a volume
python3 - k8s/analysis/job.yaml >"$T/job.sh" <<'PY' || fail job/extract
import sys, yaml
for d in yaml.safe_load_all(open(sys.argv[1])):
    if d and d.get("kind") == "Job":
        c = d["spec"]["template"]["spec"]["containers"][0]
        assert c["command"] == ["sh", "-c"], c["command"]
        sys.stdout.write(c["args"][0])
PY
mkdir -p "$T/data/runs"
cp -Rp testdata/catalog/before testdata/catalog/after "$T/data/runs/"
chown -R 10001:10001 "$T/data"
job() { # RUN BASE: the Job's container, as the manifest sets it up
	docker run --rm --network none --read-only --tmpfs /tmp --user 10001:10001 -w /opt/jvmperf \
		-e "RUN=$1" -e "BASE=$2" -v "$T/data:/data" "$IMG" sh -c "$(cat "$T/job.sh")"
}
if job runs/after runs/before >"$T/job.log" 2>&1 && grep -q 'verdict\|Verdict' "$T/data/runs/after/report.md"; then
	pass "job/report (runs/after/report.md with the verdict)"
else
	cat "$T/job.log"; fail job/report
fi
if job 'runs/$(shell touch /tmp/x)' '' >"$T/hostile.log" 2>&1; then
	fail job/hostile-name "accepted"
elif grep -q 'bad folder name' "$T/hostile.log"; then
	pass job/hostile-name
else
	cat "$T/hostile.log"; fail job/hostile-name "unexpected message"
fi
if job runs/missing '' >"$T/missing.log" 2>&1; then
	fail job/missing-run "accepted"
else
	grep -q 'no run folder' "$T/missing.log" && pass job/missing-run || { cat "$T/missing.log"; fail job/missing-run; }
fi
took "analysis Job"

# 5. the image as the capture steps' helper image: mode C (an ephemeral
# container from it, as the JVM's uid and gid) records the container tests'
# fixture JVM through the Docker-backed kubectl stand-in
K=$TOP/tests/containers/kubectl
if command -v jattach >/dev/null 2>&1 && command -v jfr >/dev/null 2>&1 &&
	JRE_IMAGE=$(tests/containers/images.sh jre 2>"$T/images.err" | sed -n 's/^JRE_IMAGE=//p') && [ -n "$JRE_IMAGE" ]; then
	NS=ib$$
	printf '%s\n' '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"fx-helper","labels":{"app.kubernetes.io/name":"fixture"}},' \
		'"spec":{"terminationGracePeriodSeconds":2,"securityContext":{"runAsNonRoot":true,"runAsUser":10001,"runAsGroup":10001},' \
		'"containers":[{"name":"app","image":"'"$JRE_IMAGE"'","securityContext":{"readOnlyRootFilesystem":true,"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}},' \
		'"volumeMounts":[{"name":"tmp","mountPath":"/tmp"}]}],"volumes":[{"name":"tmp","emptyDir":{"medium":"Memory"}}]}}' >"$T/pod.json"
	if "$K" apply -n "$NS" -f "$T/pod.json" >/dev/null && "$K" wait -n "$NS" --for=condition=Ready pod/fx-helper --timeout=60s >/dev/null &&
		sleep 3 && timeout 300 make --no-print-directory -s capture-profile RUN="$T/helper-run" NS="$NS" POD=fx-helper MODE=C \
			PROFILER=jfr DURATION=4 KUBECTL="$K" TOOLS_IMAGE="$IMG" >"$T/helper.log" 2>&1 &&
		jfr summary "$T/helper-run/profiles/fx-helper.jfr" >/dev/null 2>&1; then
		pass "helper-image (mode C recording through $IMG)"
	else
		tail -n 20 "$T/helper.log" 2>/dev/null; fail helper-image "mode C with TOOLS_IMAGE=$IMG did not record"
	fi
	"$K" delete pod -n "$NS" fx-helper --now >/dev/null 2>&1
	NS=
	took "helper image, mode C"
else
	echo "  (helper-image check not run: jattach, jfr or the fixture image missing)"
fi
[ "$fails" = 0 ] || { echo "image_build: $fails failed"; exit 1; }
exit 0
