# watch-rule.sh - sourced by watch.sh (after lib.sh): the decision of one
# poll of `make watch`, over the series the poll fetched. Kept apart so that
# tests/integration/watch_rule.sh can run it, unchanged, on recorded series.
#
# watch_decide CUR WIN OUT SINCE (globals: bin, mindur, ratio, step):
#   the windows where a pod's value stands out from its peers' at the same
#   time (`spikes --peers`: more than RATIO times the median of the other
#   pods, the rule analysis uses for the pods' p99; one point below it, a
#   gap of two steps, does not end a window; at least MINDUR seconds from
#   its first point to its last), into WIN; every pod ranked in each window
#   by `outliers` into OUT.
#   An incident is the latest window ending after SINCE in which `outliers`
#   marks a pod hot (column hot = yes): it sets WSTART, WEND, HOT and PEER
#   (the window's lowest-scored pod that is not hot) and returns 0; no
#   incident returns 1. The shell decides nothing: it picks the tools' rows.
#   The pods' names come from the metrics' labels and become file names
#   and run.env values: a name that is not a Kubernetes name (lower-case
#   letters, digits, '-' and '.') is refused with a message, return 2.
#   Under CAP_PLAN=1 the commands are printed and it returns 0.
watch_decide() {
	local cur=$1 win=$2 out=$3 since=$4
	cap_run "$bin/spikes" --peers --ratio "$ratio" --point-covers previous --merge-gap "$((2 * step))" --min-duration "$mindur" -o "$win" "$cur"
	# no window (spikes wrote its header only): nothing to rank
	[ "$CAP_PLAN" = 1 ] || [ "$(wc -l <"$win")" -gt 1 ] || return 1
	cap_run "$bin/outliers" -W "$win" -o "$out" "$cur"
	if [ "$CAP_PLAN" = 1 ]; then
		printf '# (when spikes finds a window) an incident when a row of %s says hot = yes (the latest window ending after the watch began, or after the last incident); the peer: its lowest-scored pod not hot\n' "$(cap_quote1 "$out")"
		return 0
	fi
	HOT= PEER= WSTART= WEND=
	read -r WSTART WEND HOT <<<"$(awk -F'\t' -v since="$since" 'NR > 1 && $9 == "yes" && $2 > since { s = $1; e = $2; p = $4 } END { if (p != "") print s, e, p }' "$out")"
	[ -n "$HOT" ] || return 1
	PEER=$(awk -F'\t' -v s="$WSTART" -v e="$WEND" 'NR > 1 && $1 == s && $2 == e && $9 == "no" && $8 != "NaN" { p = $4 } END { print p }' "$out")
	HOT=${HOT#pod=} PEER=${PEER#pod=}
	local p
	for p in "$HOT" ${PEER:+"$PEER"}; do
		[[ ${#p} -le 253 && $p =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]] || {
			cap_note "a pod name in $out is not a Kubernetes name (pod=NAME, [a-z0-9.-]): refused"
			return 2
		}
	done
	return 0
}
