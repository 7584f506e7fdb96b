#!/usr/bin/env bash
# runenv.sh RUN KEY=VALUE... - set keys in RUN/run.env atomically.
#
# Other keys and comments are kept in order; a key already present is
# replaced in place, a new one appended. The new file is written beside the
# old one and renamed over it, under a lock (RUN/.run.env.lock), so
# concurrent capture steps never lose each other's keys and a reader never
# sees half a file. Keys are [A-Za-z_][A-Za-z0-9_]*; values are one line.
set -eu
if [ $# -lt 2 ]; then
	echo "usage: runenv.sh RUN KEY=VALUE..." >&2
	exit 1
fi
run=$1
shift
for kv in "$@"; do
	case $kv in
	[A-Za-z_]*=*) ;;
	*) echo "runenv.sh: bad assignment '$kv' (want KEY=VALUE)" >&2; exit 1 ;;
	esac
	key=${kv%%=*}
	if ! [[ $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || [[ ${kv#*=} == *$'\n'* ]]; then
		echo "runenv.sh: bad assignment '$kv' (want KEY=VALUE on one line)" >&2
		exit 1
	fi
done
mkdir -p "$run"
exec 9>"$run/.run.env.lock"
flock 9
tmp=$(mktemp "$run/.run.env.XXXXXX")
trap 'rm -f "$tmp"' EXIT INT TERM
touch "$run/run.env"
awk '
	BEGIN {
		for (i = 1; i < ARGC; i++) {
			eq = index(ARGV[i], "=")
			k = substr(ARGV[i], 1, eq - 1)
			if (!(k in val)) order[++n] = k
			val[k] = substr(ARGV[i], eq + 1)
		}
		ARGC = 1
	}
	{
		eq = index($0, "=")
		k = eq > 1 ? substr($0, 1, eq - 1) : ""
		if ($0 !~ /^#/ && k in val) {
			if (!(k in done)) print k "=" val[k]
			done[k] = 1
			next
		}
		print
	}
	END { for (i = 1; i <= n; i++) if (!(order[i] in done)) print order[i] "=" val[order[i]] }
' "$@" <"$run/run.env" >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$run/run.env"
trap - EXIT INT TERM
