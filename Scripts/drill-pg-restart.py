#!/usr/bin/env python3
"""Database restart under load (issue 22, drill 9): two bearing servers on one PostgreSQL take
traffic from CLIENTS API clients (reading the incident list, reporting incidents) and web clients
(the dashboard) while PostgreSQL is stopped for OUTAGE seconds and started again. Bearing is not
restarted. The drill holds when:
- during the outage every failed request is a 503 that says the database is unavailable (JSON for
  the API, a page for the web) with Retry-After; no other error, no dropped connection, and no
  request left hanging (each is answered within 15 s);
- afterwards both servers answer again by themselves, within RECOVER seconds, and at least 99 % of
  the requests sent after that succeed (the rest are the same clean 503s);
- no answer is half-written: every 200 list is whole JSON, every incident answered 201 exists, and
  no incident exists that was not answered 201 (or whose answer was an error while it committed,
  which the drill lists).

Usage: drill-pg-restart.py --bin .build/debug/bearing --pg-url postgres://…/postgres
       --stop-cmd "…" --start-cmd "…" [--clients 16] [--outage 8] [--recover 30]
"""
import argparse
import collections
import json
import subprocess
import threading
import time

import drill_common as dc

OP = "SDN-DEMO"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--pg-url", required=True)
    p.add_argument("--stop-cmd", required=True)
    p.add_argument("--start-cmd", required=True)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--outage", type=float, default=8)
    p.add_argument("--recover", type=float, default=30)
    a = p.parse_args()
    checks = dc.Checks()
    db = dc.Database("bearing_drill_restart", a.pg_url)
    dc.bearing(a.bin, db.env, "migrate")
    dc.bearing(a.bin, db.env, "demo")
    servers = [dc.Server(a.bin, db.env, "/tmp/drill-restart-server-%d.log" % n, extra_env={"BEARING_WORKER": "off"})
               for n in (1, 2)]
    try:
        token = dc.api_token(servers[0].base, "security@demo.bearing.test", "bearing-demo-security")
        lock = threading.Lock()
        phase = {"now": "before"}
        answers = collections.Counter()        # (phase, what, status)
        bad = []                                # answers that break a rule
        created, refused, unsure = set(), [], []
        stop = threading.Event()

        slowest = collections.defaultdict(float)  # (phase, what, status) → longest answer, s

        def note(sent, what, status, detail="", took=0.0):
            """An answer, counted in the phase its request was sent in: a request sent during the
            outage may wait out the pool's 10 s for a connection and so be answered afterwards."""
            with lock:
                answers[(sent, what, status)] += 1
                slowest[(sent, what, status)] = max(slowest[(sent, what, status)], took)
                if detail:
                    bad.append("%s %s %s: %s" % (sent, what, status, detail[:200]))

        def sent_now():
            with lock:
                return phase["now"], time.time()

        def client(n):
            server = servers[n % 2]
            api = dc.API(server.base, token, timeout=30)
            i = 0
            while not stop.is_set():
                i += 1
                sent, began = sent_now()
                try:
                    if i % 3:
                        status, headers, body = api.call("GET", "/operations/%s/incidents?per_page=20" % OP)
                        problem = ""
                        if status == 200 and not (isinstance(body, dict) and isinstance(body.get("items"), list)):
                            problem = "a 200 that is not a whole list"
                        elif status == 503:
                            problem = unavailable(body, headers)
                        elif status != 200:
                            problem = "neither 200 nor 503"
                        note(sent, "GET list", status, problem, took=time.time() - began)
                    else:
                        title = "Restart drill %d.%d" % (n, i)
                        status, headers, body = api.call("POST", "/operations/%s/incidents" % OP, {
                            "title": title, "category": "crime", "occurred_at": "2026-12-01T08:00:00Z",
                            "audience": "ifrc", "place_name": "Kassala", "latitude": 15.45, "longitude": 36.37})
                        problem = ""
                        if status == 201:
                            with lock:
                                created.add(title)
                        else:
                            with lock:
                                refused.append(title)
                            problem = unavailable(body, headers) if status == 503 else "neither 201 nor 503"
                        note(sent, "POST incident", status, problem, took=time.time() - began)
                except Exception as error:  # a dropped connection or a timeout is a failure too
                    note(sent, "connection", type(error).__name__, str(error) or type(error).__name__,
                         took=time.time() - began)
                    api = dc.API(server.base, token, timeout=30)
                    with lock:
                        if i % 3 == 0:
                            unsure.append("Restart drill %d.%d" % (n, i))
                    time.sleep(0.2)

        def web(n):
            server = servers[n % 2]
            import urllib.request
            import urllib.error
            while not stop.is_set():
                sent, began = sent_now()
                try:
                    with urllib.request.urlopen(server.base + "/health", timeout=30) as r:
                        note(sent, "GET /health", r.status, took=time.time() - began)
                except urllib.error.HTTPError as error:
                    text = error.read().decode("utf-8", "replace")
                    note(sent, "GET /health", error.code, "" if error.code == 503 and "database" in text
                         else "unexpected: " + text, took=time.time() - began)
                except Exception as error:
                    note(sent, "connection", type(error).__name__, str(error) or type(error).__name__,
                         took=time.time() - began)
                time.sleep(0.1)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(a.clients)]
        threads += [threading.Thread(target=web, args=(n,)) for n in range(2)]
        for t in threads:
            t.start()
        time.sleep(5)
        with lock:
            phase["now"] = "outage"
        subprocess.run(a.stop_cmd, shell=True, check=True, capture_output=True)
        stopped = time.time()
        time.sleep(a.outage)
        subprocess.run(a.start_cmd, shell=True, check=True, capture_output=True)
        with lock:
            phase["now"] = "recovery"
        started = time.time()
        # Recovered: every server answers the list with 200 again.
        recovered = None
        probes = [dc.API(s.base, token, timeout=10) for s in servers]
        while time.time() - started < a.recover:
            try:
                if all(api.call("GET", "/operations/%s/incidents?per_page=1" % OP)[0] == 200 for api in probes):
                    recovered = time.time() - started
                    break
            except Exception:
                pass
            time.sleep(0.2)
        with lock:
            phase["now"] = "after"
        time.sleep(5)
        stop.set()
        for t in threads:
            t.join()

        for key in sorted(answers, key=str):
            print("  %-9s %-14s %-6s %5d  (slowest %.1f s)" % (key[0], key[1], key[2], answers[key], slowest[key]),
                  flush=True)
        print("  PostgreSQL was down %.1f s" % (started - stopped), flush=True)
        during = sum(n for (ph, what, status), n in answers.items() if ph == "outage" and status == 503)
        checks.check(during > 0, "requests during the outage were answered 503 (%d)" % during)
        checks.check(not bad, "every failure was a 503 saying the database is unavailable, with Retry-After; "
                              "no other error, no dropped connection (%d others: %s)" % (len(bad), bad[:4]))
        longest = max(slowest.values(), default=0.0)
        checks.check(longest <= 15, "no request hangs: every answer came within 15 s, the pool's 10 s wait for a "
                                    "connection and some (the slowest took %.1f s)" % longest)
        checks.check(recovered is not None, "both servers answer again by themselves, %s after PostgreSQL started" % (
            "%.1f s" % recovered if recovered is not None else "not within %d s" % a.recover))
        after = sum(n for (ph, what, status), n in answers.items() if ph == "after" and status in (200, 201))
        failed_after = sum(n for (ph, what, status), n in answers.items() if ph == "after" and status not in (200, 201))
        # Counted by when they were sent: one sent in the outage may wait out the pool's 10 s for a
        # connection and be answered after it (AsyncKit's pool; BENCHMARKS.md says more).
        checks.check(after > 0 and failed_after * 100 <= after,
                     "afterwards at least 99 %% of requests succeed (%d, %d answered 503)" % (after, failed_after))
        stored = set(r[0] for r in db.rows("SELECT title FROM incidents WHERE title LIKE 'Restart drill %'"))
        missing = created - stored
        checks.check(not missing, "every incident answered 201 is stored (%d missing)" % len(missing))
        kept = stored & set(refused)
        checks.check(not kept, "no incident answered with an error is stored (%d of %d)" % (len(kept), len(refused)))
        # A commit whose answer was lost with the connection cannot be known by the client; the
        # offline queue's client ids (X-Bearing-Capture) make its retry safe.
        if unsure:
            print("  %d report(s) lost their connection, %d of them committed" % (
                len(unsure), len(stored & set(unsure))), flush=True)
    finally:
        for s in servers:
            s.stop()
    checks.exit()


def unavailable(body, headers):
    """'' when a 503 is the one the drill expects, else what is wrong with it."""
    if not (isinstance(body, dict) and body.get("error", {}).get("code") == "database_unavailable"):
        return "a 503 without code database_unavailable: %s" % json.dumps(body)[:150]
    if not headers.get("Retry-After"):
        return "a 503 without Retry-After"
    return ""


if __name__ == "__main__":
    main()
