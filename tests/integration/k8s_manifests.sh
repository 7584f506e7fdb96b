#!/usr/bin/env bash
# k8s_manifests.sh - every kustomization under k8s/ renders with
# `kubectl kustomize`, every object validates against the Kubernetes (and
# prometheus-operator) JSON schemas offline, and the policy holds
# (tests/k8s-validate/validate.mjs). Then broken variants of the base, made
# with kustomize patches, must each be rejected with the expected message:
# the checks are shown to fail, not only to pass.
#
# Needs kubectl (with kustomize), node and npm (for `npm ci` when
# tests/k8s-validate/node_modules is missing); skips (77) without them.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$TOP" || exit 2
for prog in kubectl node npm; do
	if ! command -v "$prog" >/dev/null 2>&1; then
		echo "SKIP k8s_manifests: $prog not installed"
		exit 77
	fi
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
V=tests/k8s-validate
if [ ! -d "$V/node_modules" ]; then
	if ! (cd "$V" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) >"$T/npm.log" 2>&1; then
		cat "$T/npm.log"
		echo "SKIP k8s_manifests: npm ci failed in $V (no registry?)"
		exit 77
	fi
fi

fails=0
pass() { echo "PASS k8s_manifests/$1"; }
fail() { echo "FAIL k8s_manifests/$1"; fails=$((fails + 1)); }

# 1. every kustomization renders and validates
dirs=$(find k8s -name kustomization.yaml -printf '%h\n' | LC_ALL=C sort)
[ -n "$dirs" ] || { echo "FAIL k8s_manifests: no kustomization under k8s/"; exit 1; }
for want in base overlays/annotations overlays/profiling-sidecar overlays/node-profiler jmeter rbac; do
	if ! grep -qx "k8s/$want" <<<"$dirs"; then fail "exists/$want"; fi
done
for d in $dirs; do
	name=$(echo "${d#k8s/}" | tr / -)
	if ! kubectl kustomize "$d" >"$T/$name.yaml" 2>"$T/$name.err"; then
		cat "$T/$name.err"; fail "render/$name"; continue
	fi
	if node "$V/validate.mjs" "$T/$name.yaml" 2>"$T/$name.err"; then
		pass "validate/$name"
	else
		cat "$T/$name.err"; fail "validate/$name"
	fi
done

# 2. facts the capture steps and kube-prometheus-stack rely on
facts() { # NAME FILE JQ-LIKE-GREP...
	local name=$1 file=$2; shift 2
	local p
	for p in "$@"; do
		if ! grep -qE -- "$p" "$T/$file.yaml"; then
			echo "k8s_manifests: $file.yaml lacks /$p/"; fail "facts/$name"; return
		fi
	done
	pass "facts/$name"
}
facts servicemonitor base 'release: kube-prometheus-stack' 'path: /actuator/prometheus' '^ +port: http$'
facts probes base 'path: /actuator/health/liveness' 'path: /actuator/health/readiness'
facts jvm-flags base 'MaxRAMPercentage=75' 'PreserveFramePointer'
facts named-port base '^  - name: http$' 'targetPort: http'
facts image-by-kustomize base 'image: registry.example.com/perf/catalog:1\.4\.2'
facts annotations overlays-annotations 'prometheus.io/scrape: "true"' 'prometheus.io/path: /actuator/prometheus'
facts sidecar overlays-profiling-sidecar 'shareProcessNamespace: true' 'name: profiler'
facts jmeter jmeter 'image: justb4/jmeter:5\.5$'
facts jmeter-heap jmeter 'name: HEAP' 'MaxRAMPercentage=60' "trap 'exit 0' TERM"
facts node-profiler-psa overlays-node-profiler 'pod-security.kubernetes.io/enforce: privileged'
if grep -q 'kind: ServiceMonitor' "$T/overlays-annotations.yaml"; then
	fail "annotations-drops-servicemonitor"
else
	pass "annotations-drops-servicemonitor"
fi
# the investigator's Roles grant exactly the verbs the capture steps use
node "$V/rbac-verbs.mjs" "$T/rbac.yaml" 2>&1 | LC_ALL=C sort >"$T/verbs.txt"
cat >"$T/verbs.want" <<'VERBS'
monitoring perf-investigator-prometheus pods get
monitoring perf-investigator-prometheus pods list
monitoring perf-investigator-prometheus pods/portforward create
monitoring perf-investigator-prometheus services get
perf perf-investigator pods create
perf perf-investigator pods delete
perf perf-investigator pods get
perf perf-investigator pods list
perf perf-investigator pods watch
perf perf-investigator pods/ephemeralcontainers patch
perf perf-investigator pods/exec create
perf perf-investigator pods/log get
perf perf-investigator pods/portforward create
perf perf-investigator services get
VERBS
if diff -u "$T/verbs.want" "$T/verbs.txt"; then pass rbac-verbs; else fail rbac-verbs; fi
# mode F's Role: kubectl wait and delete -l list (issue 13)
node "$V/rbac-verbs.mjs" "$T/overlays-node-profiler.yaml" 2>&1 | LC_ALL=C sort >"$T/verbs-node.txt"
cat >"$T/verbs-node.want" <<'VERBS'
perf-node-profiler perf-node-profiler pods create
perf-node-profiler perf-node-profiler pods delete
perf-node-profiler perf-node-profiler pods get
perf-node-profiler perf-node-profiler pods list
perf-node-profiler perf-node-profiler pods watch
perf-node-profiler perf-node-profiler pods/exec create
VERBS
if diff -u "$T/verbs-node.want" "$T/verbs-node.txt"; then pass rbac-verbs-node-profiler; else fail rbac-verbs-node-profiler; fi
if grep -qE '"\*"|escalate|bind|impersonate|secrets' "$T/rbac.yaml"; then fail rbac-no-wildcards; else pass rbac-no-wildcards; fi

# 3. broken variants must be rejected, each with its message (kustomize
# refuses absolute resource paths: the base is copied beside the variants)
cp -r k8s/base "$T/base"
broken() { # NAME EXPECTED-MESSAGE PATCH-YAML
	local name=$1 want=$2 dir="$T/broken-$1"
	mkdir -p "$dir"
	printf '%s\n' "$3" >"$dir/patch.yaml"
	cat >"$dir/kustomization.yaml" <<-KUST
	apiVersion: kustomize.config.k8s.io/v1beta1
	kind: Kustomization
	resources:
	  - ../base
	patches:
	  - path: patch.yaml
	KUST
	if ! kubectl kustomize "$dir" >"$dir/out.yaml" 2>"$dir/err"; then
		cat "$dir/err"; fail "rejects/$name (did not render)"; return
	fi
	if node "$V/validate.mjs" "$dir/out.yaml" 2>"$dir/err"; then
		fail "rejects/$name (accepted)"
	elif grep -qF -- "$want" "$dir/err"; then
		pass "rejects/$name"
	else
		echo "k8s_manifests: expected '$want', got:"; cat "$dir/err"; fail "rejects/$name"
	fi
}
deploy='apiVersion: apps/v1
kind: Deployment
metadata:
  name: catalog'
broken privileged 'container "app" is privileged' "$deploy
spec:
  template:
    spec:
      containers:
        - name: app
          securityContext:
            privileged: true"
broken host-pid 'hostPID is set' "$deploy
spec:
  template:
    spec:
      hostPID: true"
broken root 'container "app" may run as root' "$deploy
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: null"
broken no-limits 'container "app" has no memory limit' "$deploy
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            limits:
              memory: null"
broken latest 'has no pinned tag' "$deploy
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/perf/catalog:latest"
broken untagged 'has no pinned tag' "$deploy
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/perf/catalog"
broken no-probe 'serves a port but has no readinessProbe' "$deploy
spec:
  template:
    spec:
      containers:
        - name: app
          readinessProbe: null"
broken schema 'schema: data/spec/replicas must be integer' "$deploy
spec:
  replicas: three"
broken schema-port 'schema:' "$deploy
spec:
  template:
    spec:
      containers:
        - name: app
          ports:
            - name: http
              containerPort: http"
broken servicemonitor-release 'no release label' 'apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: catalog
  labels:
    release: null'
broken servicemonitor-schema 'ServiceMonitor/catalog: schema:' 'apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: catalog
spec:
  endpoints:
    - port: http
      interval: soon'

[ "$fails" -eq 0 ] || exit 1
