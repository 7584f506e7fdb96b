# lib.sh - headless Chromium for the browser tests (sourced by
# tests/integration/*_browser.sh): skip when Chromium is missing, a work
# folder removed on exit, and one bounded run of the browser per call.
#
# The caller sets TOP and may set BROWSER_TIMEOUT (seconds a run may take,
# 60), BROWSER_BUDGET (virtual milliseconds for the page's scripts, 5000)
# and BROWSER_WINDOW (1200,700) before calling browser_setup; afterwards
# $work is the work folder and $fail is 0.

browser_setup() {
	chromium=$(command -v chromium || command -v chromium-browser || true)
	if [ -z "$chromium" ]; then
		echo "skip: chromium is not installed"
		exit 77
	fi
	work=$(mktemp -d)
	pid=
	fail=0
	trap browser_cleanup EXIT
}

browser_cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$work"
}

# run_chromium URL dump|SCREENSHOT-PATH: one headless run with a profile of
# its own, bounded in time; `dump` prints the DOM after the page's scripts.
run_chromium() {
	local url=$1 mode=$2 prof rc
	prof=$(mktemp -d "$work/prof.XXXXXX")
	local args=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
		--disable-background-networking --disable-component-update --disable-sync
		--user-data-dir="$prof" --virtual-time-budget="${BROWSER_BUDGET:-5000}"
		--window-size="${BROWSER_WINDOW:-1200,700}")
	if [ "$mode" = dump ]; then
		timeout "${BROWSER_TIMEOUT:-60}" "$chromium" "${args[@]}" --dump-dom "$url" 2>/dev/null &
	else
		timeout "${BROWSER_TIMEOUT:-60}" "$chromium" "${args[@]}" --screenshot="$mode" "$url" \
			>/dev/null 2>&1 &
	fi
	pid=$!
	wait "$pid"
	rc=$?
	pid=
	return $rc
}
