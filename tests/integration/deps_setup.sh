#!/usr/bin/env bash
# The set-up commands work in a root shell without sudo and for a normal
# user with sudo: tools/deps.sh uses sudo only when not root, in dry-run
# and for real (apt-get and sudo replaced by stubs that log their
# arguments); a normal user without sudo gets a clear message; the README's
# commands, `make deps` and .ci/run all go through the one package list in
# deps/.
set -u
TOP=${TOP:-.}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (to run as root and as another user)"; exit 77; }
command -v setpriv >/dev/null || { echo "needs setpriv (util-linux)"; exit 77; }

# a copy readable by an unprivileged user
mkdir -p "$work/src/tools" "$work/src/deps" "$work/bin" "$work/nosudo"
cp "$TOP/tools/deps.sh" "$work/src/tools/"
cp "$TOP"/deps/packages-*.txt "$work/src/deps/"
chmod -R a+rX "$work"
chmod a+rwx "$work"
as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

want=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$TOP"/deps/packages-build.txt "$TOP"/deps/packages-test.txt | tr '\n' ' ')
[ -n "$want" ] || fail "empty package lists"
dups=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$TOP"/deps/packages-*.txt | sort | uniq -d)
[ -z "$dups" ] || fail "packages listed twice: $dups"
for p in jattach docker.io protobuf-compiler debootstrap; do
	grep -qx "$p" "$TOP/deps/packages-test.txt" || fail "$p not in deps/packages-test.txt"
done

# 1. dry run as root: no sudo, every listed package in one install command
out=$(PATH="$work/bin:$PATH" sh "$work/src/tools/deps.sh" --test --dry-run) || fail "root dry run: exit $?"
echo "$out" | grep -q sudo && fail "root dry run uses sudo: $out"
inst=$(echo "$out" | grep -- '^+ .*apt-get install' | grep -v ' npm$' | sed 's/.*--no-install-recommends //')
[ "$inst " = "$want" ] || fail "root dry run installs '$inst', lists say '$want'"
echo "$out" | grep -qx '+ apt-get update' || fail "root dry run: no apt-get update"

# 2. dry run as a normal user with sudo: every privileged command through sudo
printf '#!/bin/sh\necho "sudo $*" >> %s/sudo.log\nexit 0\n' "$work" > "$work/bin/sudo"
printf '#!/bin/sh\necho "apt-get $*" >> %s/apt.log\nexit 0\n' "$work" > "$work/bin/apt-get"
chmod a+rx "$work/bin/sudo" "$work/bin/apt-get"
out=$(as_user env PATH="$work/bin:$PATH" sh "$work/src/tools/deps.sh" --test --dry-run) ||
	fail "user dry run: exit $?"
n=$(echo "$out" | grep -c '^+ ')
ns=$(echo "$out" | grep -c '^+ sudo ')
[ "$n" -ge 3 ] && [ "$n" = "$ns" ] || fail "user dry run: $ns of $n commands through sudo: $out"
inst=$(echo "$out" | grep -- '^+ .*apt-get install' | grep -v ' npm$' | sed 's/.*--no-install-recommends //')
[ "$inst " = "$want" ] || fail "user dry run installs '$inst', lists say '$want'"
[ -e "$work/sudo.log" ] && fail "dry run ran sudo"

# 3. for real, with a package that is not installed (stubs instead of
#    apt-get and sudo): as root apt-get runs directly, as a user via sudo
mkdir -p "$work/miss/tools" "$work/miss/deps"
cp "$work/src/tools/deps.sh" "$work/miss/tools/"
printf 'jvmperf-no-such-package\n' > "$work/miss/deps/packages-build.txt"
chmod -R a+rX "$work/miss"
PATH="$work/bin:$PATH" sh "$work/miss/tools/deps.sh" > "$work/root.out" 2>&1 || fail "root run: exit $?"
[ -e "$work/sudo.log" ] && fail "root run used sudo: $(cat "$work/sudo.log")"
grep -q 'install -y --no-install-recommends jvmperf-no-such-package' "$work/apt.log" ||
	fail "root run: apt-get install not run: $(cat "$work/apt.log")"
grep -qx 'apt-get update' "$work/apt.log" || fail "root run: no apt-get update for a package without candidate"
grep -q 'installing jvmperf-no-such-package' "$work/root.out" || fail "root run does not say what it installs"
rm -f "$work/apt.log"
as_user env PATH="$work/bin:$PATH" sh "$work/miss/tools/deps.sh" > "$work/user.out" 2>&1 || fail "user run: exit $?"
[ -e "$work/apt.log" ] && fail "user run ran apt-get without sudo: $(cat "$work/apt.log")"
grep -q '^sudo .*apt-get install -y --no-install-recommends jvmperf-no-such-package' "$work/sudo.log" ||
	fail "user run: no install through sudo: $(cat "$work/sudo.log" 2>/dev/null)"
rm -f "$work/sudo.log"

# 4. everything installed: nothing to do, no sudo asked for
printf 'coreutils\n' > "$work/miss/deps/packages-build.txt"
out=$(as_user env PATH="$work/bin:$PATH" sh "$work/miss/tools/deps.sh") || fail "installed run: exit $?"
[ "$out" = "deps.sh: all 1 packages are installed" ] || fail "installed run says: $out"
[ -e "$work/sudo.log" ] && fail "installed run used sudo"

# 5. a normal user without sudo: a clear message, exit 1
if ! [ -x /usr/bin/sudo ] && ! [ -x /bin/sudo ]; then
	as_user env PATH=/usr/bin:/bin sh "$work/src/tools/deps.sh" > "$work/nosudo.out" 2>&1
	rc=$?
	[ $rc = 1 ] || fail "user without sudo: exit $rc"
	grep -q 'not root and no sudo' "$work/nosudo.out" || fail "user without sudo: $(cat "$work/nosudo.out")"
fi
sh "$work/src/tools/deps.sh" --bogus > "$work/bad.out" 2>&1
[ $? = 1 ] || fail "unknown option: exit not 1"

# 6. README, make deps and .ci/run reference the same lists
block=$(awk '/^```sh$/ { n++; next } n == 1 && /^```$/ { exit } n == 1' "$TOP/README.md")
echo "$block" | grep -qx 'sh tools/deps.sh && make demo' || fail "README's first command: $block"
echo "$block" | grep -qx 'bash .ci/run' || fail "README's second command: $block"
grep -q 'apt-get install' "$TOP/README.md" && fail "README lists packages of its own"
grep -q 'apt-get install' "$TOP/.ci/run" && fail ".ci/run lists packages of its own"
grep -qx 'tools/deps.sh --test' "$TOP/.ci/run" || fail ".ci/run does not use tools/deps.sh --test"
grep -qx 'make check' "$TOP/.ci/run" || fail ".ci/run does not run make check"
[ "$(make -s -C "$TOP" -n deps)" = "sh tools/deps.sh" ] || fail "make deps: $(make -s -C "$TOP" -n deps)"
[ "$(make -s -C "$TOP" -n deps-test)" = "sh tools/deps.sh --test" ] || fail "make deps-test"
[ "$(sh "$TOP/tools/deps.sh" --test --list | tr '\n' ' ')" = "$want" ] || fail "--list differs from the lists"
echo "deps: root without sudo, user through sudo, one package list"
exit 0
