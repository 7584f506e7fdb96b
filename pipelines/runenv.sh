#!/bin/sh
# runenv.sh RUN KEY            print a run.env value (empty if unset)
# runenv.sh RUN interval STEM  print a profile's capture interval START,END
#                              (STEM is POD.EVENT, as in profiles/POD.EVENT.collapsed)
# runenv.sh RUN load [WARMUP]  print the load window START,END, START moved
#                              WARMUP seconds later (JIT warm-up)
set -eu
run=$1
key=$2
get() { sed -n "s/^$1=//p" "$run/run.env" | tail -n 1; }
case $key in
interval)
	event=${3##*.}
	start=$(get "profile_${event}_start")
	end=$(get "profile_${event}_end")
	if [ -z "$start" ] || [ -z "$end" ]; then
		echo "runenv: $run/run.env: no profile_${event}_start/end for profile '$3'" >&2
		exit 1
	fi
	echo "$start,$end" ;;
load)
	echo "$(( $(get load_start) + ${3:-0} )),$(get load_end)" ;;
*)
	get "$key" ;;
esac
