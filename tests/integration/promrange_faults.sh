#!/usr/bin/env bash
# promrange against a local misbehaving HTTP server (python3, 127.0.0.1):
# HTTP 500, 503 with Prometheus' error JSON, 429 with Retry-After (short and
# over the cap), a slow server (timeout), malformed JSON, a body cut short,
# Prometheus' bad_data error, a closed port, bearer-token auth, chunking
# and archive/replay.  Asserts exit codes, messages, and how many requests
# each case made (retries bounded).
set -u
BIN=${BIN:-build/release/bin}
TOP=${TOP:-.}
command -v python3 >/dev/null 2>&1 || { echo "skip: python3 is not installed"; exit 77; }
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

cat >"$work/server.py" <<'PY'
import http.server, json, sys, time, urllib.parse
log = open(sys.argv[1], "a", buffering=1)
seen = {}
def matrix(form):
    start, end, step = (float(form[k][0]) for k in ("start", "end", "step"))
    vals, t = [], start
    while t <= end + 1e-9:
        vals.append([int(t) if t == int(t) else t, str(t % 7)])
        t += step
    return {"status": "success", "data": {"resultType": "matrix", "result": [
        {"metric": {"pod": "b"}, "values": vals},
        {"metric": {"pod": "a"}, "values": [[v[0], "NaN"] for v in vals]}]}}
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def send(self, code, body, ctype="application/json", extra=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra: self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
    def do_POST(self):
        mode = self.path.split("/")[1]
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        log.write(mode + "\n")
        seen[mode] = seen.get(mode, 0) + 1
        if mode == "ok":
            self.send(200, json.dumps(matrix(form)))
        elif mode == "e500":
            self.send(500, "internal error\n", "text/plain")
        elif mode == "e503json":
            self.send(503, '{"status":"error","errorType":"unavailable","error":"too many queries"}')
        elif mode == "r429":
            if seen[mode] == 1: self.send(429, "slow down\n", "text/plain", [("Retry-After", "1")])
            else: self.send(200, json.dumps(matrix(form)))
        elif mode == "r429big":
            self.send(429, "slow down\n", "text/plain", [("Retry-After", "3600")])
        elif mode == "slow":
            time.sleep(3)
            self.send(200, json.dumps(matrix(form)))
        elif mode == "malformed":
            self.send(200, '{"status":"success","data":{"resultType":"matrix","result":[{]}}')
        elif mode == "cut":
            body = json.dumps(matrix(form)).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif mode == "baddata":
            self.send(400, '{"status":"error","errorType":"bad_data","error":"1:1: parse error: unexpected \\"}\\""}')
        elif mode == "auth":
            if self.headers.get("Authorization") == "Bearer s3cr3t-token":
                self.send(200, json.dumps(matrix(form)))
            else:
                self.send(401, "unauthorized\n", "text/plain")
        else:
            self.send(404, "no such mode\n", "text/plain")
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
srv.serve_forever()
PY
python3 "$work/server.py" "$work/requests.log" >"$work/port" 2>"$work/server.err" &
pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
[ -n "$port" ] || { echo "FAIL: the test server did not start"; cat "$work/server.err"; exit 1; }
base=http://127.0.0.1:$port
fails=0
R="--start 1700000000 --end 1700000009 --step 1 --retries 2 --retry-wait-max 0.3"

# run NAME MODE WANT_RC WANT_REQUESTS STDERR_PATTERN [options...]
run() {
	local name=$1 mode=$2 rc_want=$3 n_want=$4 pat=$5 rc n
	shift 5
	: >"$work/requests.log"
	timeout 60 "$BIN/promrange" -u "$base/$mode" -q x=up $R "$@" >"$work/out" 2>"$work/err"
	rc=$?
	n=$(grep -c . "$work/requests.log")
	if [ "$rc" != "$rc_want" ] || [ "$n" != "$n_want" ] || { [ -n "$pat" ] && ! grep -q -- "$pat" "$work/err"; }; then
		echo "FAIL $name: rc=$rc (want $rc_want) requests=$n (want $n_want)"
		sed 's/^/  /' "$work/err"
		fails=$((fails + 1))
	else
		echo "ok $name"
	fi
}

run http500 e500 2 3 "x: HTTP 500 from $base/e500/api/v1/query_range (3 attempts)"
run http503_prometheus_error e503json 2 3 "x: prometheus error: unavailable: too many queries"
run retry_after r429 0 2 "HTTP 429: attempt 2 in 0.300 s"
run retry_after_cap r429big 2 3 "HTTP 429 from"
run timeout slow 2 2 "x: .*timed out after .* (2 attempts)" --timeout 0.5 --retries 1
run malformed malformed 1 1 "x: byte 62: malformed JSON"
run cut_short cut 2 3 "x: $base/cut/api/v1/query_range: transfer closed with .* (3 attempts)"
run bad_data baddata 2 1 "x: prometheus error: bad_data: 1:1: parse error"
run no_auth auth 2 1 "HTTP 401"
printf 's3cr3t-token\n' >"$work/token"
run auth auth 0 1 "" --bearer-token-file "$work/token"
run chunked ok 0 4 "" --max-points 3
cp "$work/out" "$work/chunked.tsv"
run unsplit ok 0 1 ""
cmp -s "$work/out" "$work/chunked.tsv" || { echo "FAIL chunked output differs from unsplit"; fails=$((fails + 1)); }
[ "$(wc -l <"$work/out")" = 21 ] || { echo "FAIL unsplit: want 20 rows"; fails=$((fails + 1)); }

# refused: a port nobody listens on (the server's, once stopped, is free)
python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' >"$work/free"
timeout 60 "$BIN/promrange" -u "http://user:pw@127.0.0.1:$(cat "$work/free")" -q x=up $R >"$work/out" 2>"$work/err"
rc=$?
if [ $rc = 2 ] && grep -q "(3 attempts)" "$work/err" && [ "$(grep -c 'attempt [23] in' "$work/err")" = 2 ] &&
   ! grep -q "pw@" "$work/err"; then echo "ok refused"; else
	echo "FAIL refused: rc=$rc"; sed 's/^/  /' "$work/err"; fails=$((fails + 1)); fi

# archive, then replay byte-identical; no secret in the archive
timeout 60 "$BIN/promrange" -u "$base/auth" --bearer-token-file "$work/token" -H "X-Scope-OrgID: t1" \
	-q x=up -q 'y=sum by (pod) (up)' $R --max-points 4 --archive "$work/arch" >"$work/live.tsv" 2>"$work/err"
rc=$?
"$BIN/promrange" --replay "$work/arch" >"$work/replay.tsv" 2>>"$work/err"
if [ $rc = 0 ] && cmp -s "$work/live.tsv" "$work/replay.tsv" &&
   [ "$(ls "$work/arch" | tr '\n' ' ')" = "index.tsv x.part0.json x.part1.json x.part2.json y.part0.json y.part1.json y.part2.json " ] &&
   ! grep -rq "s3cr3t\|OrgID" "$work/arch" && grep -q "^y	y.part2.json	sum by (pod) (up)	1700000008	1700000009	1$" "$work/arch/index.tsv"
then echo "ok archive_replay"; else
	echo "FAIL archive_replay: rc=$rc"; ls "$work/arch"; cat "$work/arch/index.tsv" "$work/err"; fails=$((fails + 1)); fi

[ $fails = 0 ] || { echo "$fails failed"; exit 1; }
echo "all passed"
