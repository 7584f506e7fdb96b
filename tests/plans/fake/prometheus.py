"""A stand-in Prometheus for the capture tests (127.0.0.1 only).

Answers /api/v1/query_range for any query with one series per pod of
FAKE_PODS (or FAKE_PROM_PODS, when the metrics name other pods than the
cluster): a flat value with a small deterministic ripple; with
FAKE_SPIKE=POD that pod's last FAKE_SPIKE_POINTS points (default 8) are ten
times higher, so the spike always ends "now". Writes its port to argv[1]
and serves at most argv[2] requests (default 400), 120 s at most.
"""
import http.server
import json
import os
import sys
import time
import urllib.parse

pods = (os.environ.get("FAKE_PROM_PODS")
        or os.environ.get("FAKE_PODS", "catalog-a catalog-b catalog-c")).split()
spike = os.environ.get("FAKE_SPIKE", "")
spike_points = int(os.environ.get("FAKE_SPIKE_POINTS", "8"))


class H(http.server.BaseHTTPRequestHandler):
    def answer(self, params):
        start = float(params.get("start", ["0"])[0])
        end = float(params.get("end", ["0"])[0])
        step = float(params.get("step", ["2"])[0]) or 2
        times = []
        t = start
        while t <= end and len(times) < 11000:
            times.append(t)
            t += step
        result = []
        for p in pods:
            values = []
            for i, t in enumerate(times):
                v = 0.05 + 0.005 * (i % 3)
                if p == spike and i >= len(times) - spike_points:
                    v *= 10
                values.append([t, repr(v)])
            result.append({"metric": {"pod": p}, "values": values})
        body = json.dumps({"status": "success",
                           "data": {"resultType": "matrix", "result": result}})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        if not u.path.startswith("/api/v1/query_range"):
            self.send_response(404)
            self.end_headers()
            return
        self.answer(urllib.parse.parse_qs(u.query))

    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        params = urllib.parse.parse_qs(self.rfile.read(n).decode())
        params.update(urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query))
        self.answer(params)

    def log_message(self, *a):
        pass


s = http.server.HTTPServer(("127.0.0.1", 0), H)
s.timeout = 5
with open(sys.argv[1], "w") as f:
    f.write(str(s.server_address[1]))
deadline = time.time() + 120
left = int(sys.argv[2]) if len(sys.argv) > 2 else 400
while left > 0 and time.time() < deadline:
    s.handle_request()
    left -= 1
