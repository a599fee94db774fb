#!/usr/bin/env python3
"""Soak (issue 22, drill 8): SECONDS of mixed load on SQLite against one `bearing serve --demo`:
readers (the dashboard and the incident list as pages, the incident list through the API), writers
(incidents reported through the API, a protection risk changed with If-Match), and an import of
published incidents (`bearing import incidents`, beside the server, on the same database file: ROWS new events
each time) every IMPORT_EVERY seconds. The server's resident memory and the size of SQLite's write-ahead log are
sampled every SAMPLE seconds. The drill holds when:
- no request failed (every answer 200 or 201; a 412 from a changed risk is the If-Match rule
  working and is counted apart), and every import completed;
- memory is flat: after the first third (warm-up), the highest sample of the last third is within
  10 % (and 8 MB) of the highest of the middle third;
- the write-ahead log does not grow: in any two minutes it is back, at least once, under SQLite's
  own checkpoint size (1,000 pages; Bearing empties it every minute, WALCheckpoints.swift).

Usage: drill-soak.py --bin .build/release/bearing [--seconds 600] [--sample 10] [--import-every 60]
       [--rows 5000] [--svg docs/benchmarks/soak.svg] [--json out.json]
"""
import argparse
import collections
import json
import os
import re
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import drill_common as dc

OP = "SDN-DEMO"


def web_session(base, email, password):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with opener.open(base + "/sign-in", timeout=30) as r:
        token = re.search(r'name="_csrf" value="([^"]+)"', r.read().decode()).group(1)
    opener.open(base + "/sign-in", data=urllib.parse.urlencode(
        {"email": email, "password": password, "_csrf": token}).encode(), timeout=30).read()
    return opener


def svg(samples, seconds, path):
    """RSS (MB) and WAL (MB) over time, as a small line chart."""
    width, height, left, bottom, top, right = 660, 260, 48, 30, 16, 116
    peak = max(max(s["rss_mb"] for s in samples), max(s["wal_mb"] for s in samples), 1)
    scale_y = 10 ** len(str(int(peak))) / 10
    y_max = (int(peak / scale_y) + 1) * scale_y

    def x(t):
        return left + (width - left - right) * t / max(seconds, 1)

    def y(v):
        return top + (height - top - bottom) * (1 - v / y_max)

    parts = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" '
             'font-family="sans-serif" font-size="11">' % (width, height, width, height),
             '<rect width="100%" height="100%" fill="#fff"/>']
    for i in range(5):
        v = y_max * i / 4
        parts.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (left, width - right, y(v), y(v)))
        parts.append('<text x="%d" y="%.1f" text-anchor="end">%g</text>' % (left - 4, y(v) + 4, v))
    for i in range(6):
        t = seconds * i / 5
        parts.append('<text x="%.1f" y="%d" text-anchor="middle">%d s</text>' % (x(t), height - bottom + 16, t))
    for key, colour, label in (("rss_mb", "#C8102E", "server RSS (MB)"), ("wal_mb", "#1F77B4", "SQLite WAL (MB)")):
        points = " ".join("%.1f,%.1f" % (x(s["t"]), y(s[key])) for s in samples)
        parts.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (colour, points))
        last = samples[-1]
        parts.append('<text x="%d" y="%.1f" fill="%s">%s</text>' % (width - right + 6, y(last[key]) + 4, colour, label))
    parts.append("</svg>\n")
    with open(path, "w") as f:
        f.write("\n".join(parts))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--seconds", type=int, default=600)
    p.add_argument("--sample", type=int, default=10)
    p.add_argument("--import-every", type=int, default=60)
    p.add_argument("--rows", type=int, default=5000)
    p.add_argument("--readers", type=int, default=6)
    p.add_argument("--writers", type=int, default=2)
    p.add_argument("--svg")
    p.add_argument("--json")
    a = p.parse_args()
    checks = dc.Checks()
    db = dc.Database("unused")
    acled = os.path.join(db.dir, "acled.csv")
    server = dc.Server(a.bin, db.env, "/tmp/drill-soak-server.log", demo=True, extra_env={"BEARING_WORKER": "off"})
    answers = collections.Counter()
    failures = []
    lock = threading.Lock()
    stop = threading.Event()
    try:
        token = dc.api_token(server.base, "heops@demo.bearing.test", "bearing-demo-heops")
        status, _, risks = dc.API(server.base, token).call("GET", "/operations/%s/protection-risks" % OP)
        risk = risks["items"][0]["id"]

        def record(what, status, detail=""):
            with lock:
                answers[(what, status)] += 1
                if status not in (200, 201, 412):
                    failures.append("%s %s %s" % (what, status, detail[:200]))

        def reader(n):
            opener = web_session(server.base, "heops@demo.bearing.test", "bearing-demo-heops")
            api = dc.API(server.base, token)
            pages = ["/operations/%s" % OP, "/operations/%s/incidents" % OP]
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    if i % 3:
                        path = pages[i % 2]
                        with opener.open(server.base + path, timeout=60) as r:
                            r.read()
                            record("GET " + path, r.status)
                    else:
                        status, _, body = api.call("GET", "/operations/%s/incidents?per_page=50" % OP)
                        record("GET api incidents", status, str(body))
                except urllib.error.HTTPError as error:
                    record("GET page", error.code, str(error))
                except Exception as error:
                    record("connection", type(error).__name__, str(error))
                    api = dc.API(server.base, token)

        def writer(n):
            api = dc.API(server.base, token)
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    if i % 4:
                        status, _, body = api.call("POST", "/operations/%s/incidents" % OP, {
                            "title": "Soak %d.%d" % (n, i), "category": "crime",
                            "occurred_at": "2026-12-01T08:00:00Z", "audience": "ifrc", "place_name": "Kassala",
                            "latitude": 15.45, "longitude": 36.37})
                        record("POST api incident", status, str(body))
                    else:
                        path = "/operations/%s/protection-risks/%s" % (OP, risk)
                        status, headers, body = api.call("GET", path)
                        status, _, body = api.call("PATCH", path, {"description": "Soak %d.%d" % (n, i)},
                                                   {"If-Match": headers.get("ETag")})
                        record("PATCH api risk", status, str(body))
                except Exception as error:
                    record("connection", type(error).__name__, str(error))
                    api = dc.API(server.base, token)
                time.sleep(0.05)

        imports = []

        def importer():
            n = 0
            while not stop.wait(a.import_every if n else a.import_every / 2):
                n += 1
                # Events of their own each time (another seed), so every import writes.
                with open(acled, "w") as out:
                    subprocess.run(["python3", os.path.join(dc.ROOT, "Scripts", "make-acled.py"), str(a.rows),
                                    "--seed", str(n)], stdout=out, check=True)
                started = time.perf_counter()
                r = dc.bearing(a.bin, db.env, "import", "incidents", "--format", "acled", acled, "--operation", OP,
                               check=False)
                imports.append((r.returncode, time.perf_counter() - started))
                if r.returncode != 0:
                    with lock:
                        failures.append("import %d failed: %s" % (n, (r.stdout + r.stderr)[-300:]))

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(a.readers)]
        threads += [threading.Thread(target=writer, args=(n,)) for n in range(a.writers)]
        threads.append(threading.Thread(target=importer))
        for t in threads:
            t.start()
        samples = []
        started = time.time()
        wal = db.file + "-wal"
        while True:
            elapsed = time.time() - started
            samples.append({"t": round(elapsed, 1), "rss_mb": round(server.rss_kb() / 1024, 1),
                            "wal_mb": round((os.path.getsize(wal) if os.path.exists(wal) else 0) / 1048576, 2)})
            if elapsed >= a.seconds:
                break
            time.sleep(min(a.sample, a.seconds - elapsed) or a.sample)
        stop.set()
        for t in threads:
            t.join()
    finally:
        server.stop()

    total = sum(answers.values())
    print("  %d requests in %d s (%.0f/s): %s" % (total, a.seconds, total / a.seconds, ", ".join(
        "%s %s: %d" % (what, status, n) for (what, status), n in sorted(answers.items(), key=str))), flush=True)
    print("  %d imports of %d rows, %s s each" % (len(imports), a.rows, ", ".join("%.1f" % s for _, s in imports)),
          flush=True)
    print("  RSS MB every %d s: %s" % (a.sample, " ".join("%g" % s["rss_mb"] for s in samples)), flush=True)
    print("  WAL MB every %d s: %s" % (a.sample, " ".join("%g" % s["wal_mb"] for s in samples)), flush=True)
    third = max(len(samples) // 3, 1)
    middle, last = samples[third:2 * third] or samples, samples[2 * third:] or samples
    rss_middle, rss_last = max(s["rss_mb"] for s in middle), max(s["rss_mb"] for s in last)
    checks.check(not failures and total > 0, "0 errors in %d requests and %d imports (%s)" % (
        total, len(imports), failures[:3]))
    checks.check(len(imports) > 0 and all(rc == 0 for rc, _ in imports), "every import completed")
    checks.check(rss_last <= max(rss_middle * 1.10, rss_middle + 8),
                 "memory flat: the last third's highest RSS %.1f MB, the middle third's %.1f MB" % (
                     rss_last, rss_middle))
    # Bearing resets the log every minute (WALCheckpoints): in any two minutes it is back under
    # SQLite's own checkpoint size (1,000 pages of 4 KB) at least once.
    stuck = [s["t"] for s in samples if s["t"] >= 120 and min(
        o["wal_mb"] for o in samples if s["t"] - 120 <= o["t"] <= s["t"]) > 4.5]
    checks.check(not stuck, "the write-ahead log does not grow: back under 4.5 MB at least once in every two "
                            "minutes (largest %.2f MB%s)" % (max(s["wal_mb"] for s in samples),
                                                             ", not so at %s s" % stuck[:3] if stuck else ""))
    if a.svg:
        svg(samples, a.seconds, a.svg)
        print("  chart written to %s" % a.svg, flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"samples": samples, "answers": {"%s %s" % k: v for k, v in answers.items()},
                       "imports": imports}, f)
    checks.exit()


if __name__ == "__main__":
    main()
