# find-jvm-pid.sh - runs INSIDE the container (or a pod sharing its process
# namespace), fed on stdin: kubectl exec -i POD -- sh -s [CGROUP-MATCH] < find-jvm-pid.sh
#
# Finds JVM processes without ps, pgrep, jps or jcmd, which JRE and slim
# images lack: a loop over /proc/*/cmdline with shell builtins only (POSIX
# sh: dash, ash, bash). A process of our own user is a JVM when it has
# libjvm.so mapped (whatever its launcher is called); another user's process,
# whose maps we may not read, when its command line names java. With CGROUP-MATCH (a pod UID, as the
# node-level mode passes) only processes whose /proc/PID/cgroup mentions it
# count. Prints one line per JVM: "PID JVM_UID OUR_UID JVM_GID OUR_GID"
# (real ids: HotSpot's attach listener compares the caller's uid and gid
# with its own), lowest PID first;
# exits 3 when there is none. Distroless images have no shell at all: there
# this cannot run, and the capture step says so.
match=${1:-}
match_alt=
[ -z "$match" ] || match_alt=$(IFS=-; set -- $match; IFS=_; echo "$*")
our_uid= our_gid=
while read -r key real rest; do
	case $key in Uid:) our_uid=$real ;; Gid:) our_gid=$real; break ;; esac
done </proc/$$/status
found=0
for d in /proc/[0-9]*; do
	pid=${d#/proc/}
	[ "$pid" != $$ ] || continue
	if [ -n "$match" ]; then
		hit=
		while IFS= read -r line; do
			case $line in *"$match"* | *"$match_alt"*) hit=1; break ;; esac
		done 2>/dev/null <"$d/cgroup" || :
		[ -n "$hit" ] || continue
	fi
	jvm=
	if [ -r "$d/maps" ] && { read -r line; } 2>/dev/null <"$d/maps"; then
		# our own user's process: libjvm.so mapped decides
		while IFS= read -r line; do
			case $line in *libjvm.so) jvm=1; break ;; esac
		done 2>/dev/null <"$d/maps" || :
	else
		# another user's: the command line is all we may read (bash drops
		# its NUL separators, dash stops at the first)
		cmd=
		IFS= read -r cmd 2>/dev/null <"$d/cmdline" || :
		case $cmd in java* | */java*) jvm=1 ;; esac
	fi
	[ -n "$jvm" ] || continue
	uid= gid=
	while read -r key real rest; do
		case $key in Uid:) uid=$real ;; Gid:) gid=$real; break ;; esac
	done 2>/dev/null <"$d/status" || :
	[ -n "$uid" ] && [ -n "$gid" ] || continue
	echo "$pid $uid $our_uid $gid $our_gid"
	found=1
done
[ "$found" = 1 ] || exit 3
