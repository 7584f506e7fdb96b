#!/bin/sh
# check-names.sh RUN... - refuse run folders whose file names or file types
# make must not see (pipelines/README.md, "Names and files").
#
# Runs while make reads its rules, before any name from the folder is
# expanded: every entry of RUN/profiles/ and RUN/prom/ must be named
# [A-Za-z0-9_][A-Za-z0-9._-]* (hidden entries are skipped) and, like run.env and result.jtl(.gz), be a
# regular file (or a symbolic link to one inside RUN).  One message per bad
# entry on stderr (names shown with non-printable bytes as '?'); prints
# "refused" on stdout when anything is wrong, nothing otherwise.
export LC_ALL=C
bad=0
say() { printf 'check-names: %s: %s\n' "$(printf '%s' "$1" | tr -c '[:print:]' '?')" "$2" >&2; bad=1; }

# a regular file inside the run folder $2 (symbolic links resolved)
check_file() {
	if [ -L "$1" ]; then
		real=$(readlink -f -- "$1") || real=
		case $real in
		"$2"/*) ;;
		*) say "$1" "symbolic link leading out of the run folder: refused"; return ;;
		esac
	fi
	[ -f "$1" ] || say "$1" "not a regular file (a FIFO, device or directory): refused"
}

for run in "$@"; do
	if [ ! -d "$run" ]; then
		say "$run" "no such run folder"
		continue
	fi
	top=$(cd -P -- "$run" && pwd) || { say "$run" "cannot enter the run folder"; continue; }
	for f in "$run"/run.env "$run"/result.jtl.gz "$run"/result.jtl; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		check_file "$f" "$top"
	done
	for d in profiles prom; do
		[ -e "$run/$d" ] || continue
		if [ -L "$run/$d" ] || [ ! -d "$run/$d" ]; then
			say "$run/$d" "not a directory of the run folder: refused"
			continue
		fi
		# hidden entries are not seen by make's wildcards
		for f in "$run/$d"/*; do
			[ -e "$f" ] || [ -L "$f" ] || continue
			case ${f##*/} in
			[A-Za-z0-9_]*) ;;
			*) say "$f" "file name must start with a letter, digit or '_': refused"; continue ;;
			esac
			case ${f##*/} in
			*[!A-Za-z0-9._-]*) say "$f" "file name has a character outside [A-Za-z0-9._-]: refused"; continue ;;
			esac
			check_file "$f" "$top"
		done
	done
done
[ "$bad" = 0 ] || echo refused
