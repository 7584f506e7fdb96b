#!/usr/bin/env bash
# grafana_dashboard.sh - k8s/grafana renders with kustomize into one
# ConfigMap that kube-prometheus-stack's Grafana sidecar loads; the
# dashboard passes Grafana's dashboard schema (the Dashboard type of npm
# @grafana/schema through the TypeScript compiler, offline; a broken copy
# does not); its panels are exactly the pipeline's standard queries
# (pipelines/queries.tsv, queries-k8s.tsv) with namespace/service/pod
# matchers added; and on the local lab's real Prometheus every panel's
# PromQL, the variables substituted, is accepted, and the application
# panels return data for every pod (all pods, and one pod selected).  The
# lab has no cAdvisor: the two cAdvisor panels return data from a second
# Prometheus holding cAdvisor-shaped series backfilled by promtool.
#
# Exit 0 pass, 77 skip (kubectl, node/npm, the lab's programs missing).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$TOP/build/release/bin}
TOP=$(cd "$TOP" && pwd)
for c in kubectl node npm promtool; do
	command -v "$c" >/dev/null 2>&1 || { echo "skipped: '$c' is not installed"; exit 77; }
done
. "$TOP/tests/lab/itlib.sh"

V=$TOP/tests/grafana-validate
W=$(mktemp -d)
prom2=
if [ ! -d "$V/node_modules" ]; then
	if ! (cd "$V" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) >"$W/npm.log" 2>&1; then
		cat "$W/npm.log"; rm -rf "$W"
		echo "skipped: npm ci failed in tests/grafana-validate (no registry?)"
		exit 77
	fi
fi

# 1. render, the ConfigMap, the schema
kubectl kustomize "$TOP/k8s/grafana" >"$W/rendered.yaml" 2>"$W/kustomize.err" || { cat "$W/kustomize.err"; rm -rf "$W"; fail "kustomize"; }
dash=$TOP/k8s/grafana/jvmperf-investigation.json
node "$V/validate.mjs" "$W/rendered.yaml" "$dash" "$W" || { rm -rf "$W"; fail "dashboard invalid"; }
# the schema check does catch mistakes: a string width, an unknown property
mkdir -p "$W/bad"
for edit in 's/"w": 12/"w": "12"/' 's/"graphTooltip": 1/"graphTooltip": 1, "refreshRate": 5/' 's/"type": "query"/"type": "qurey"/'; do
	sed "$edit" "$dash" >"$W/bad/d.json"
	cmp -s "$W/bad/d.json" "$dash" && { rm -rf "$W"; fail "edit '$edit' changed nothing"; }
	(cd "$W/bad" && cp d.json jvmperf-investigation.json &&
		printf 'configMapGenerator:\n  - name: d\n    files: [jvmperf-investigation.json]\n    options: {disableNameSuffixHash: true, labels: {grafana_dashboard: "1"}}\n' >kustomization.yaml &&
		kubectl kustomize . >r.yaml) || { rm -rf "$W"; fail "kustomize of the broken copy"; }
	if node "$V/validate.mjs" "$W/bad/r.yaml" "$W/bad/d.json" "$W/bad" >"$W/bad/out"; then
		rm -rf "$W"; fail "a broken dashboard ($edit) passes the schema check"
	fi
	grep -q 'INVALID: schema' "$W/bad/out" || { cat "$W/bad/out"; rm -rf "$W"; fail "no schema error for '$edit'"; }
done

# 2. exactly the pipeline's queries, matchers aside
sed -e 's/namespace="\$namespace", service="\$service", pod=~"\$pod"//g' \
	-e 's/namespace="\$namespace", pod=~"\$pod", //g' -e 's/namespace="\$namespace", pod=~"\$pod"//g' \
	-e 's/{}//g' "$W/exprs.tsv" | LC_ALL=C sort >"$W/exprs.plain"
# the cluster's queries (queries-k8s.tsv) with their scope placeholder
# (pipelines/k8s/scope.sh fills it) taken out; the lab's unscoped ones
# (queries.tsv) must be the same expressions
sed -e 's/{@SCOPE@}//g' -e 's/,@SCOPE@}/}/g' "$TOP/pipelines/queries-k8s.tsv" | LC_ALL=C sort >"$W/pipeline.tsv"
LC_ALL=C sort "$TOP/pipelines/queries.tsv" | LC_ALL=C comm -23 - "$W/pipeline.tsv" | grep . &&
	{ rm -rf "$W"; fail "pipelines/queries.tsv differs from queries-k8s.tsv (scope aside)"; }
diff "$W/pipeline.tsv" "$W/exprs.plain" >"$W/q.diff" || { cat "$W/q.diff"; rm -rf "$W"; fail "panels differ from the pipeline's queries"; }
grep -v 'namespace="\$namespace"' "$W/exprs.tsv" | grep . && { rm -rf "$W"; fail "a panel without the namespace matcher"; }
nq=$(wc -l <"$W/exprs.tsv")

# 3. on the lab
lab_setup grafana 28300
cp "$W/exprs.tsv" "$W/vars.tsv" "$T/"
rm -rf "$W"
trap 'rc=$?; if [ -n "$prom2" ]; then kill "$prom2" 2>/dev/null; fi; (exit $rc); lab_cleanup' EXIT
lab_make lab-start LAB_PORT="$LAB_PORT" LAB_PROM_PORT="$LAB_PROM_PORT" LAB_REPLICAS=2 LAB_SEED=$RANDOM ||
	fail "lab-start failed"
. "$LAB_DIR/lab.env"
read -r -a pods <<<"$LAB_PODS"
# load for 12 s through nginx (bounded), every endpoint
end=$((SECONDS + 12))
n=0
while ((SECONDS < end && n < 3000)); do
	for u in /api/search?q=steel /api/price /api/product; do curl -fsS -m 2 -o /dev/null "$LAB_LB_URL$u" || true; done
	n=$((n + 1))
done
((n > 10)) || fail "only $n load rounds"

query() { # URL EXPR -> the API's JSON answer (instant query, now)
	curl -sS -m 10 "$1/api/v1/query" --data-urlencode "query=$2"
}
subst() { sed -e "s/\\\$namespace/$LAB_NAMESPACE/g" -e "s/\\\$service/$LAB_SERVICE/g" -e "s/\\\$pod/$2/g" <<<"$1"; }

# the variables' queries: label_values(SELECTOR, LABEL)
while IFS=$'\t' read -r name q; do
	sel=$(subst "$q" '.*' | sed -E 's/^label_values\((.*), *([a-z_]+)\)$/\1/')
	lbl=$(sed -E 's/^label_values\((.*), *([a-z_]+)\)$/\2/' <<<"$q")
	vals=$(curl -G -sS -m 10 "$LAB_PROM_URL/api/v1/label/$lbl/values" --data-urlencode "match[]=$sel" | jq -r '.data[]' | sort | tr '\n' ' ')
	case $name in
	namespace) want="$LAB_NAMESPACE " ;;
	service) want="$LAB_SERVICE " ;;
	pod) want="$(printf '%s\n' "${pods[@]}" | sort | tr '\n' ' ')" ;;
	*) fail "unknown variable $name" ;;
	esac
	[ "$vals" = "$want" ] || fail "variable $name: '$vals', expected '$want'"
done <"$T/vars.tsv"

# every panel: accepted; application panels: data for every pod, and for
# the one selected pod only (p99_by_uri: one series per URI)
napp=0
while IFS=$'\t' read -r ref q; do
	for sel in all one; do
		if [ $sel = all ]; then e=$(subst "$q" '.*'); else e=$(subst "$q" "${pods[0]}"); fi
		query "$LAB_PROM_URL" "$e" >"$T/a.json"
		jq -e '.status == "success"' "$T/a.json" >/dev/null || fail "$ref: not accepted: $(head -c 300 "$T/a.json")"
		case $ref in container_*|throttled_*) continue ;; esac
		got=$(jq -r '[.data.result[] | select(.value[1] != "NaN") | (.metric.pod // .metric.uri)] | sort | join(" ")' "$T/a.json")
		case $ref in
		p99_by_uri) want="/api/price /api/product /api/search" ;;
		*) if [ $sel = all ]; then want=$(printf '%s\n' "${pods[@]}" | sort | tr '\n' ' '); want=${want% }; else want=${pods[0]}; fi ;;
		esac
		[ "$got" = "$want" ] || fail "$ref ($sel pods): series '$got', expected '$want'"
	done
	case $ref in container_*|throttled_*) ;; *) napp=$((napp + 1)) ;; esac
done <"$T/exprs.tsv"

# the cAdvisor panels on cAdvisor-shaped history (kubelet's labels: namespace,
# pod, container; 10 s samples over 10 minutes ending an hour ago)
now=$(date +%s)
t0=$((now - 4200))
{
	echo "# TYPE container_cpu_usage_seconds_total counter"
	for i in "${!pods[@]}"; do for ((k = 0; k <= 60; k++)); do
		echo "container_cpu_usage_seconds_total{namespace=\"$LAB_NAMESPACE\",pod=\"${pods[i]}\",container=\"app\"} $((k * 5 * (i + 1))) $((t0 + k * 10))"
		echo "container_cpu_usage_seconds_total{namespace=\"$LAB_NAMESPACE\",pod=\"${pods[i]}\",container=\"\"} $((k * 50)) $((t0 + k * 10))"
	done; done
	echo "# TYPE container_cpu_cfs_periods_total counter"
	for i in "${!pods[@]}"; do for ((k = 0; k <= 60; k++)); do
		echo "container_cpu_cfs_periods_total{namespace=\"$LAB_NAMESPACE\",pod=\"${pods[i]}\",container=\"app\"} $((k * 100)) $((t0 + k * 10))"
	done; done
	echo "# TYPE container_cpu_cfs_throttled_periods_total counter"
	for i in "${!pods[@]}"; do for ((k = 0; k <= 60; k++)); do
		echo "container_cpu_cfs_throttled_periods_total{namespace=\"$LAB_NAMESPACE\",pod=\"${pods[i]}\",container=\"app\"} $((k * 25 * (i + 1))) $((t0 + k * 10))"
	done; done
	echo "# EOF"
} >"$T/cadvisor.om"
promtool tsdb create-blocks-from openmetrics "$T/cadvisor.om" "$T/cadv-data" >"$T/promtool.log" 2>&1 ||
	fail "promtool backfill: $(tail -n 3 "$T/promtool.log")"
printf 'global: {scrape_interval: 1m}\nscrape_configs: []\n' >"$T/prom2.yml"
p2=$((LAB_PROM_PORT - 1))
port_busy $p2 && fail "port $p2 busy"
prometheus --config.file="$T/prom2.yml" --storage.tsdb.path="$T/cadv-data" --storage.tsdb.retention.time=100y \
	--web.listen-address=127.0.0.1:$p2 --log.level=warn >"$T/prom2.log" 2>&1 &
prom2=$!
for ((i = 0; i < 100; i++)); do curl -fsS -m 1 "http://127.0.0.1:$p2/-/ready" >/dev/null 2>&1 && break; sleep 0.2; done
at=$((t0 + 540))
while IFS=$'\t' read -r ref q; do
	case $ref in container_*|throttled_*) ;; *) continue ;; esac
	e=$(subst "$q" '.*')
	curl -sS -m 10 "http://127.0.0.1:$p2/api/v1/query" --data-urlencode "query=$e" --data-urlencode "time=$at" >"$T/c.json"
	got=$(jq -r '[.data.result[] | "\(.metric.pod)=\(.value[1])"] | sort | join(" ")' "$T/c.json")
	case $ref in
	container_cpu_by_pod) want=$(for i in "${!pods[@]}"; do awk -v p="${pods[i]}" -v i=$i 'BEGIN { printf "%s=%g\n", p, 0.5 * (i + 1) }'; done | sort | tr '\n' ' ') ;;
	throttled_by_pod) want=$(for i in "${!pods[@]}"; do awk -v p="${pods[i]}" -v i=$i 'BEGIN { printf "%s=%g\n", p, 0.25 * (i + 1) }'; done | sort | tr '\n' ' ') ;;
	esac
	[ "$got" = "${want% }" ] || fail "$ref on cAdvisor history: '$got', expected '${want% }'"
done <"$T/exprs.tsv"
kill "$prom2" 2>/dev/null; wait "$prom2" 2>/dev/null; prom2=
echo "grafana: rendered, schema-valid, $nq panels = the pipeline's queries; $napp with lab data for every pod, 2 on cAdvisor history"
exit 0
