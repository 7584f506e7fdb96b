#!/usr/bin/env bash
# images.sh - build the container tests' images from this machine's own
# installed files (no registry): a root filesystem is assembled in a
# folder and turned into an image with `docker import`.
#
#   tests/containers/images.sh [jre|full|tools]...   (default: all three)
#
# Images (tags carry a hash of everything that goes in, so a build is
# skipped when an image of that hash exists; built images stay cached):
#   jvmperf-test-jre    distroless-like: a jlink'ed JRE and the fixture
#                       service (tests/containers/java + the lab's Search),
#                       no shell, no tar, no coreutils; user 10001:10001.
#                       Run it with a read-only root and a tmpfs /tmp.
#   jvmperf-test-full   the same JVM plus sh, coreutils, tar and jattach
#                       (modes A, B and E need a shell in the JVM's image),
#                       and async-profiler at /opt/async-profiler when
#                       ASPROF_BUNDLE names a release folder (mode B)
#   jvmperf-test-tools  no JVM: sh, coreutils, tar, jattach, and
#                       async-profiler at /opt/async-profiler when
#                       ASPROF_BUNDLE names a release folder
# The noexec-/tmp variant is a run option of the same images (the pod's
# jvmperf-test/tmp-options annotation in tests/containers/kubectl).
#
# Prints KEY=IMAGE lines (JRE_IMAGE, FULL_IMAGE, TOOLS_IMAGE) on stdout.
# Exit status: 0 ok, 1 usage, 2 a build step failed.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
JDK=${JDK:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
APP_UID=10001

die() { echo "images.sh: $2" >&2; exit "$1"; }

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(jre full tools)
for w in "${want[@]}"; do
	case $w in jre | full | tools) ;; *) die 1 "unknown image '$w' (jre, full or tools)" ;; esac
done
[ -x "$JDK/bin/jlink" ] || die 2 "no jlink in $JDK (set JDK to a JDK with jmods)"
command -v jattach >/dev/null || die 2 "jattach is not installed (Debian package jattach)"
if [ -n "${ASPROF_BUNDLE:-}" ]; then
	[ -f "$ASPROF_BUNDLE/lib/libasyncProfiler.so" ] && [ -x "$ASPROF_BUNDLE/bin/asprof" ] ||
		die 1 "ASPROF_BUNDLE '$ASPROF_BUNDLE' is not an async-profiler release folder"
fi

# the shell tools of the images with a shell (what the capture steps and
# kubectl cp call in a container)
TOOLS=(/bin/sh /bin/dash /bin/cat /bin/cp /bin/mkdir /bin/chmod /bin/chown
	/bin/rm /bin/sleep /bin/ls /bin/mv /bin/ln /bin/kill /usr/bin/id /usr/bin/env
	/usr/bin/head /usr/bin/tail /usr/bin/wc /usr/bin/tr /usr/bin/cut /bin/sed
	/bin/grep /bin/tar /usr/bin/test /usr/bin/stat /usr/bin/jattach)

# What goes in, hashed: this script, the fixture's sources, the versions of
# the packages the files come from, the async-profiler bundle.
hash=$({
	cat "$0" "$top"/tests/containers/java/*.java "$top"/tests/lab/java/org/example/lab/Search.java
	"$JDK/bin/java" -version 2>&1
	dpkg-query -W dash coreutils tar sed grep procps jattach libc6 2>/dev/null || :
	if [ -n "${ASPROF_BUNDLE:-}" ]; then
		cat "$ASPROF_BUNDLE/bin/asprof" "$ASPROF_BUNDLE/lib/libasyncProfiler.so"
	fi
} | sha256sum | cut -c1-12)

work=
cleanup() { [ -z "$work" ] || rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# add_bin ROOT FILE...: copy files (dereferenced) and the libraries they
# load into ROOT at the same paths.
add_bin() {
	local root=$1 f lib
	shift
	for f in "$@"; do
		[ -e "$f" ] || continue
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
		ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
			while read -r lib; do
				[ -e "$root$lib" ] && continue
				mkdir -p "$root$(dirname "$lib")"
				cp -L "$lib" "$root$lib"
			done
	done
}

base_root() { # ROOT: /etc/passwd, /etc/group, /tmp
	local root=$1
	mkdir -p "$root/etc" "$root/tmp" "$root/proc" "$root/sys" "$root/dev"
	chmod 1777 "$root/tmp"
	printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:%s:%s:app:/tmp:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' \
		"$APP_UID" "$APP_UID" >"$root/etc/passwd"
	printf 'root:x:0:\napp:x:%s:\nnogroup:x:65534:\n' "$APP_UID" >"$root/etc/group"
}

jre_root() { # ROOT: the JRE at /opt/java and the fixture at /app
	local root=$1 f
	"$JDK/bin/jlink" --add-modules java.base,jdk.jfr \
		--strip-debug --no-man-pages --no-header-files --output "$root/opt/java" ||
		die 2 "jlink failed"
	for f in "$root/opt/java/bin/java" "$root"/opt/java/lib/*.so "$root"/opt/java/lib/server/*.so; do
		ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
	done | sort -u | while read -r f; do
		case $f in "$root"*) continue ;; esac
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
	done
	mkdir -p "$root/app"
	"$JDK/bin/javac" --release 11 -d "$root/app" \
		"$top"/tests/containers/java/ContainerFixture.java \
		"$top"/tests/lab/java/org/example/lab/Search.java || die 2 "javac failed"
}

add_asprof() { # ROOT: the async-profiler release at /opt/async-profiler, if given
	[ -n "${ASPROF_BUNDLE:-}" ] || return 0
	mkdir -p "$1/opt/async-profiler"
	cp -RL "$ASPROF_BUNDLE/bin" "$ASPROF_BUNDLE/lib" "$1/opt/async-profiler/"
}

# build NAME CONFIG-CHANGES...: ROOT=$work/NAME becomes jvmperf-test-NAME:HASH
build() {
	local name=$1 tag=jvmperf-test-$1:$hash
	shift
	local changes=()
	for c in "$@"; do changes+=(--change "$c"); done
	tar -C "$work/$name" --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -cf - . |
		docker import "${changes[@]}" - "$tag" >/dev/null || die 2 "docker import of $tag failed"
}

JAVA_CMD='["/opt/java/bin/java","-Xmx64m","-XX:+UseSerialGC","-XX:TieredStopAtLevel=1","-cp","/app","org.example.lab.ContainerFixture"]'
for w in "${want[@]}"; do
	tag=jvmperf-test-$w:$hash
	key=$(tr a-z A-Z <<<"$w")_IMAGE
	if ! docker image inspect "$tag" >/dev/null 2>&1; then
		[ -n "$work" ] || work=$(mktemp -d)
		root=$work/$w
		mkdir -p "$root"
		base_root "$root"
		case $w in
		jre)
			jre_root "$root"
			build jre "USER $APP_UID:$APP_UID" "WORKDIR /tmp" "ENTRYPOINT $JAVA_CMD" ;;
		full)
			jre_root "$root"
			add_bin "$root" "${TOOLS[@]}"
			add_asprof "$root"
			build full "USER $APP_UID:$APP_UID" "WORKDIR /tmp" "ENV PATH=/usr/bin:/bin:/opt/java/bin" "ENTRYPOINT $JAVA_CMD" ;;
		tools)
			add_bin "$root" "${TOOLS[@]}"
			add_asprof "$root"
			build tools "USER 65534:65534" "WORKDIR /tmp" "ENV PATH=/usr/bin:/bin" 'CMD ["sleep","3600"]' ;;
		esac
		echo "images.sh: built $tag" >&2
	fi
	echo "$key=$tag"
done
