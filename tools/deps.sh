#!/bin/sh
# deps.sh - install the Debian packages the build (and, with --test, the
# tests) need, from the lists in deps/.  Works in a root shell without sudo
# and for a normal user with sudo: sudo is used only when not root.
#
#   tools/deps.sh [--test] [--dry-run] [--list]
#
#   --test     also the test packages (deps/packages-test.txt), npm when
#              nodejs comes without it, and /usr/sbin/policy-rc.d so that
#              installed services (nginx, prometheus) do not start
#   --dry-run  print the commands instead of running them (every listed
#              package, installed or not)
#   --list     print the package names, one per line, and exit
#
# Only missing packages are installed; `apt-get update` runs when one of
# them has no install candidate (fresh machine, stale lists) or when an
# install fails, then the install is tried once more.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
test_too=0 dry=0 list=0
for a in "$@"; do
	case $a in
	--test) test_too=1 ;;
	--dry-run) dry=1 ;;
	--list) list=1 ;;
	-h|--help) sed -n '2,18s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "deps.sh: unknown option '$a' (see --help)" >&2; exit 1 ;;
	esac
done

lists="$top/deps/packages-build.txt"
[ $test_too = 1 ] && lists="$lists $top/deps/packages-test.txt"
# shellcheck disable=SC2086
pkgs=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' $lists)
if [ $list = 1 ]; then
	printf '%s\n' $pkgs
	exit 0
fi

if [ "$(id -u)" = 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo=sudo
else
	echo "deps.sh: not root and no sudo: run as root, or install sudo" >&2
	exit 1
fi

run() {
	if [ $dry = 1 ]; then
		echo "+ $*"
	else
		"$@"
	fi
}

if [ $dry = 1 ]; then
	missing=$pkgs
else
	missing=
	for p in $pkgs; do
		s=$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null || true)
		[ "$s" = "install ok installed" ] || missing="$missing $p"
	done
fi

if [ $test_too = 1 ] && [ ! -e /usr/sbin/policy-rc.d ]; then
	echo "deps.sh: installing /usr/sbin/policy-rc.d (packaged services must not start)"
	run $sudo sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
fi

if [ -z "$missing" ]; then
	echo "deps.sh: all $(printf '%s\n' $pkgs | wc -l) packages are installed"
else
	# shellcheck disable=SC2086
	echo "deps.sh: installing" $missing
	need_update=0
	if [ $dry = 1 ]; then
		need_update=1
	else
		for p in $missing; do
			c=$(apt-cache policy "$p" 2>/dev/null | sed -n 's/^ *Candidate: //p')
			if [ -z "$c" ] || [ "$c" = "(none)" ]; then
				need_update=1
				break
			fi
		done
	fi
	[ $need_update = 1 ] && run $sudo apt-get update
	# shellcheck disable=SC2086
	if ! run $sudo env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends $missing; then
		[ $need_update = 1 ] && exit 2
		run $sudo apt-get update
		run $sudo env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends $missing || exit 2
	fi
fi

# npm comes with some nodejs builds and is a package of its own in others
if [ $test_too = 1 ] && { [ $dry = 1 ] || ! command -v npm >/dev/null 2>&1; }; then
	run $sudo env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends npm || exit 2
fi
exit 0
