# lib.sh - sourced by the capture steps in this folder (bash).
#
# Every command that touches the cluster goes through cap_run / cap_get /
# cap_out, which print it (shell-quoted, runnable) before running it and
# append it to RUN/capture/commands.log. With CAP_PLAN=1 (what `make -n`
# sets) nothing runs: the commands are printed, values only known at run time
# appear as "$NAME" after the line that finds them (NAME=$(command)), and the
# cleanup commands are printed last. Cleanup registered with cap_cleanup runs
# in reverse order on exit, failure, or interrupt (trap EXIT INT TERM); once
# begun, a further INT or TERM does not cut it short.

set -eu -o pipefail

CAP_PLAN=${CAP_PLAN:-}
[ "$CAP_PLAN" = 1 ] || CAP_PLAN=0
CAP_LOG=/dev/null
CAP_PLACEHOLDERS=
CAP_CLEANUP=()
CAP_PROG=${0##*/}
# every pod a capture step creates carries it: `make capture-clean` finds them
CAP_LABEL=app.kubernetes.io/managed-by=jvmperf
CAP_DIR=${0%/*}
# the commands shown as they run go to fd 3: stderr, even where a step
# redirects a command's stderr
exec 3>&2

cap_die() { # STATUS MESSAGE...
	local status=$1
	shift
	printf '%s: %s\n' "$CAP_PROG" "$*" >&2
	exit "$status"
}

cap_note() { printf '%s: %s\n' "$CAP_PROG" "$*" >&2; }

# cap_init RUN: the run folder whose capture/commands.log records the commands.
cap_init() {
	if [ "$CAP_PLAN" = 0 ]; then
		mkdir -p "$1/capture" "$1/profiles" "$1/prom"
		CAP_LOG=$1/capture/commands.log
	fi
	cap_traps
}

# cap_traps: (re)arm the cleanup traps; a subshell must call it, with
# CAP_CLEANUP=() first, to clean up after itself.
cap_traps() {
	trap cap_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# _q1 ARG: sets _Q1 to ARG quoted for the shell (placeholders stay
# expandable); _q ARG...: sets _Q to the quoted words. No subshells: a plan
# quotes hundreds of words.
_q1() {
	local a=$1 name
	if [[ $a =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
		_Q1=$a
	else
		_Q1="'${a//\'/\'\\\'\'}'"
	fi
	for name in $CAP_PLACEHOLDERS; do
		[[ $_Q1 == *"{{$name}}"* ]] || continue
		_Q1=${_Q1//"{{$name}}"/\'\"\$$name\"\'}
		_Q1=${_Q1//"''\"\$$name\""/\"\$$name\"}
		_Q1=${_Q1//"\"\$$name\"''"/\"\$$name\"}
	done
}

_q() {
	local a
	_Q=
	for a in "$@"; do
		_q1 "$a"
		_Q+="${_Q:+ }$_Q1"
	done
}

cap_quote1() { _q1 "$1"; printf '%s' "$_Q1"; }
cap_quote() { _q "$@"; printf '%s' "$_Q"; }

cap_show() { # LINE: print a command about to run (or planned) and log it
	if [ "$CAP_PLAN" = 1 ]; then
		printf '%s\n' "$1"
	else
		printf '+ %s\n' "$1" >&3
		# a cleanup still runs when the log's folder is gone
		printf '%s\n' "$1" 2>/dev/null >>"$CAP_LOG" || :
	fi
}

# cap_run CMD...: run a command.
cap_run() {
	_q "$@"
	cap_show "$_Q"
	[ "$CAP_PLAN" = 1 ] || "$@"
}

# cap_out FILE CMD...: run a command with its stdout into FILE.
cap_out() {
	local file=$1
	shift
	_q "$@"
	_q1 "$file"
	cap_show "$_Q > $_Q1"
	[ "$CAP_PLAN" = 1 ] || "$@" >"$file"
}

# cap_outerr FILE CMD...: run a command with stdout and stderr into FILE.
cap_outerr() {
	local file=$1
	shift
	_q "$@"
	_q1 "$file"
	cap_show "$_Q > $_Q1 2>&1"
	[ "$CAP_PLAN" = 1 ] || "$@" >"$file" 2>&1
}

# cap_append FILE CMD...: run a command with stdout and stderr appended to FILE.
cap_append() {
	local file=$1
	shift
	_q "$@"
	_q1 "$file"
	cap_show "$_Q >> $_Q1 2>&1"
	[ "$CAP_PLAN" = 1 ] || "$@" >>"$file" 2>&1
}

# cap_in FILE CMD...: run a command with its stdin from FILE.
cap_in() {
	local file=$1
	shift
	_q "$@"
	_q1 "$file"
	cap_show "$_Q < $_Q1"
	[ "$CAP_PLAN" = 1 ] || "$@" <"$file"
}

# cap_get NAME [<FILE] CMD...: NAME=$(CMD); in a plan NAME becomes a
# placeholder that later commands show as "$NAME".
cap_get() {
	local name=$1 input= value
	shift
	case $1 in '<'*) input=${1#<}; shift ;; esac
	_q "$@"
	local line="$name=\$($_Q"
	if [ -n "$input" ]; then
		_q1 "$input"
		line+=" < $_Q1"
	fi
	cap_show "$line)"
	if [ "$CAP_PLAN" = 1 ]; then
		CAP_PLACEHOLDERS+=" $name"
		printf -v "$name" '%s' "{{$name}}"
	elif [ -n "$input" ]; then
		value=$("$@" <"$input") || return
		printf -v "$name" '%s' "$value"
	else
		value=$("$@") || return
		printf -v "$name" '%s' "$value"
	fi
}

# cap_let NAME EXPR VALUE: NAME=VALUE, shown as NAME=EXPR (a shell
# expression over earlier names), a placeholder in a plan.
cap_let() {
	cap_show "$1=$2"
	if [ "$CAP_PLAN" = 1 ]; then
		CAP_PLACEHOLDERS+=" $1"
		printf -v "$1" '%s' "{{$1}}"
	else
		printf -v "$1" '%s' "$3"
	fi
}

# cap_pipe CMD1... '|' CMD2...: CMD1 | CMD2, both shown.
cap_pipe() {
	local left=()
	while [ "$1" != '|' ]; do left+=("$1"); shift; done
	shift
	_q "${left[@]}"
	local line="$_Q | "
	_q "$@"
	cap_show "$line$_Q"
	[ "$CAP_PLAN" = 1 ] || "${left[@]}" | "$@"
}

# cap_cleanup CMD...: run CMD at exit (also after a failure or an interrupt),
# after every cleanup registered later.
cap_cleanup() {
	_q "$@"
	CAP_CLEANUP=("$_Q" "${CAP_CLEANUP[@]}")
}

cap_exit() { # [STATUS]: default the status of the command before
	local status=${1:-$?} line
	# a cleanup once begun is finished: a second INT or TERM (a group's
	# signal, then make's own) is caught by this shell and does nothing (a
	# shell reset to the default would die between two cleanup commands;
	# the commands it runs keep the default and stay killable)
	trap - EXIT
	trap : INT TERM
	if [ ${#CAP_CLEANUP[@]} -gt 0 ]; then
		[ "$CAP_PLAN" = 0 ] || printf '# cleanup, run on exit, failure or interrupt:\n'
		for line in "${CAP_CLEANUP[@]}"; do
			cap_show "$line"
			[ "$CAP_PLAN" = 1 ] || eval "$line" || cap_note "cleanup failed: $line"
		done
	fi
	exit "$status"
}

# cap_reap PID...: wait until each background child PID has ended. A signal
# (even one caught and ignored) interrupts `wait`: wait again while the
# child lives (bounded), so that what it still does - its cleanup - is done.
cap_reap() {
	local p n
	for p in "$@"; do
		for ((n = 0; n < 100; n++)); do
			kill -0 "$p" 2>/dev/null || break
			wait "$p" 2>/dev/null || :
		done
	done
}

# cap_env RUN KEY=VALUE...: set keys of RUN/run.env atomically.
cap_env() {
	cap_run "$CAP_DIR/runenv.sh" "$@"
}

cap_epoch() { # NAME: NAME=$(date +%s), shown
	cap_get "$1" date +%s
}

# cap_cleanup_pop: forget the cleanup registered last (its work is done);
# a plan says what it was for the steps before.
cap_cleanup_pop() {
	[ "$CAP_PLAN" = 0 ] || printf '# (until here, on failure or interrupt: %s)\n' "${CAP_CLEANUP[0]}"
	CAP_CLEANUP=("${CAP_CLEANUP[@]:1}")
}

# cap_name NAME PREFIX: NAME=PREFIX-<8 random hex digits>, a name no other
# capture uses (parallel steps, or an earlier one still terminating).
cap_name() {
	local r
	r=$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')
	cap_let "$1" "$2-\$(od -An -N4 -tx4 /dev/urandom | tr -d ' \\n')" "$2-$r"
}

# cap_wait_file FILE SECONDS WHAT: until FILE exists, at most SECONDS;
# returns 1 on time-out. In a plan, a comment says so.
cap_wait_file() {
	local file=$1 max=$2 i
	if [ "$CAP_PLAN" = 1 ]; then
		printf '# wait until %s exists (%s), at most %s s\n' "$(cap_quote1 "$file")" "$3" "$max"
		return 0
	fi
	for ((i = 0; i < max * 2; i++)); do
		[ ! -e "$file" ] || return 0
		sleep 0.5
	done
	[ -e "$file" ]
}
