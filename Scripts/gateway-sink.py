#!/usr/bin/env python3
"""A real HTTP receiver for Bearing's SMS gateway messages (tests and CI): checks each request's
signature as a gateway should (HMAC-SHA256 of "<timestamp>.<body>" with the shared secret, in
X-Bearing-Signature, the timestamp within 5 minutes), answers 401 to a bad one, and appends every
accepted message as one JSON line to a file. --status makes it answer that HTTP status instead
(a gateway that is down: 503; one that refuses the number: 400).

Usage: gateway-sink.py --port 8099 --secret S --out /tmp/sms.jsonl [--status 503]
Prints "ready <port>" when it listens.
"""
import argparse, os, signal, hashlib, hmac, http.server, json, time


def main():
    # Started by a test process whose threads may block SIGTERM, a child inherits that mask: undo
    # it, so that the test can stop us.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--status", type=int, default=200)
    a = p.parse_args()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            stamp = self.headers.get("X-Bearing-Timestamp", "")
            given = self.headers.get("X-Bearing-Signature", "")
            expected = "sha256=" + hmac.new(a.secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            fresh = stamp.isdigit() and abs(time.time() - int(stamp)) < 300
            if not fresh or not hmac.compare_digest(given, expected):
                self.send_response(401); self.end_headers(); self.wfile.write(b"bad signature"); return
            if a.status != 200:
                self.send_response(a.status); self.end_headers(); self.wfile.write(b"gateway says no"); return
            message = json.loads(body)
            message["idempotency_key"] = self.headers.get("Idempotency-Key")
            with open(a.out, "a") as f:
                f.write(json.dumps(message, ensure_ascii=False) + "\n")
            self.send_response(200); self.send_header("Content-Type", "application/json"); self.end_headers()
            self.wfile.write(json.dumps({"status": "accepted", "id": message.get("id")}).encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    print("ready %d" % a.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
