#!/bin/sh
# hotpod.sh RUN              the run's hot pod, from outliers' rankings
# hotpod.sh RUN --profiles E the EVENT profiles to compare: NORMAL HOT
# hotpod.sh BASE --pair RUN E  BASE's top pod's EVENT profile and RUN's
#                             profile of the same pod (or of RUN's top pod)
#
# Reads RUN/out/hotpod-p99.tsv and RUN/out/hotpod-cpu.tsv (outliers over
# the pods' p99 and CPU in the spike window) and prints TSV:
#   hot top normal basis score
# hot: the pod whose p99 (else CPU) stands out from its peers, empty when
# none does; top: the highest-ranked pod (hot, or the nearest to it);
# normal: the lowest-ranked other pod that has a cpu profile (empty if
# none); basis: the ranking used (p99_by_pod or cpu_by_pod); score: top's.
set -eu
run=$1
pick() {
	awk -F '\t' -v run="$run" '
	FNR == 1 { next }
	{ sub(/^pod=/, "", $4) }
	FILENAME ~ /p99/ { p[++np] = $4; ps[np] = $8; ph[np] = $9 }
	FILENAME ~ /cpu/ { c[++nc] = $4; cs[nc] = $8; ch[nc] = $9 }
	END {
		if (ph[1] == "yes") { hot = p[1]; top = p[1]; basis = "p99_by_pod"; score = ps[1] }
		else if (ch[1] == "yes") { hot = c[1]; top = c[1]; basis = "cpu_by_pod"; score = cs[1] }
		else { top = p[1]; basis = "p99_by_pod"; score = ps[1] }
		for (i = np; i >= 1; i--) {
			if (p[i] == top) continue
			f = run "/profiles/" p[i] ".cpu.collapsed"
			if ((getline line < f) > 0) { normal = p[i]; close(f); break }
		}
		print "hot", "top", "normal", "basis", "score"
		print hot, top, normal, basis, score
	}' OFS='\t' "$run/out/hotpod-p99.tsv" "$run/out/hotpod-cpu.tsv"
}
if [ "${2:-}" = --pair ]; then
	# BASE's top pod, and the same pod in RUN (or RUN's top pod when RUN
	# has no profile of it, as after a rollout that renamed the pods)
	other=$3 event=$4
	top=$(awk -F '\t' 'NR == 2 { print $2 }' "$run/out/hotpod.tsv")
	pod=$top
	[ -f "$other/profiles/$pod.$event.collapsed" ] ||
		pod=$(awk -F '\t' 'NR == 2 { print $2 }' "$other/out/hotpod.tsv")
	echo "$run/out/norm/$top.$event.collapsed $other/out/norm/$pod.$event.collapsed"
	exit 0
fi
if [ "${2:-}" = --profiles ]; then
	set -- $(awk -F '\t' 'NR == 2 { print $2, $3 }' "$run/out/hotpod.tsv") "$3"
	if [ -z "${2:-}" ] || [ -z "${3:-}" ]; then
		echo "hotpod: $run: no normal pod with a $3 profile to compare the hot pod with" >&2
		exit 1
	fi
	echo "$run/out/norm/$2.$3.collapsed $run/out/norm/$1.$3.collapsed"
	exit 0
fi
pick
