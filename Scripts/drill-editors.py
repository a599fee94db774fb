#!/usr/bin/env python3
"""Concurrent editors (issue 22, drill 7): CLIENTS API clients edit the same 5 incidents and 5
protection risks at once, each change based on the version it read (If-Match). Every change
appends a token of its own to the record's description, so the final state says which changes
were kept. The drill holds when there are 0 lost updates: every accepted change (200) is in the
final record, no refused change is, every refusal is a 412, and nothing else is answered.

A server of its own (`bearing serve --demo`) on SQLite, or on a new PostgreSQL database with --pg-url.

Usage: drill-editors.py --bin .build/debug/bearing [--clients 64] [--seconds 20] [--pg-url postgres://…/postgres]
"""
import argparse
import collections
import random
import re
import threading
import time

import drill_common as dc

OP = "SDN-DEMO"


def incident_input(record):
    keys = ["title", "category", "subtype", "description", "occurred_at", "time_precision", "known_at", "latitude",
            "longitude", "area_pcode", "place_name", "geo_precision", "location_type", "affected", "casualties",
            "actor_type", "actor_name", "means", "context", "motive", "severity", "serious_injury",
            "particularly_sensitive", "near_miss", "immediate_actions", "lessons_learned", "procedures_followed",
            "verification", "source", "reporter_hidden", "audience", "follow_up"]
    return {k: record[k] for k in keys if k in record and record[k] is not None}


def targets(api):
    """Five incidents made for the drill, and five of the demo's protection risks."""
    made = []
    for i in range(5):
        status, headers, body = api.call("POST", "/operations/%s/incidents" % OP, {
            "title": "Drill record %d" % i, "category": "crime", "occurred_at": "2026-12-01T08:00:00Z",
            "audience": "ifrc", "description": "Edited at once by many clients.", "place_name": "Kassala",
            "latitude": 15.45, "longitude": 36.37})
        if status != 201:
            raise SystemExit("could not make an incident: %s %s" % (status, body))
        made.append(("incidents", body["id"], "PUT"))
    status, _, body = api.call("GET", "/operations/%s/protection-risks" % OP)
    risks = [("protection-risks", r["id"], "PATCH") for r in body["items"][:5]]
    if len(risks) < 5:
        raise SystemExit("the demo has fewer than 5 protection risks")
    return made + risks


def run(binary, clients, seconds, pg_url):
    checks = dc.Checks()
    db = dc.Database("bearing_drill_editors", pg_url)
    print("  %d clients, %d s, %s" % (clients, seconds, db.kind), flush=True)
    if pg_url:
        dc.bearing(binary, db.env, "migrate")
        dc.bearing(binary, db.env, "demo")
    server = dc.Server(binary, db.env, "/tmp/drill-editors-server.log", demo=not pg_url,
                       extra_env={"BEARING_WORKER": "off"})
    try:
        token = dc.api_token(server.base, "heops@demo.bearing.test", "bearing-demo-heops")
        records = targets(dc.API(server.base, token))
        accepted = collections.defaultdict(set)   # record id -> tokens of the changes answered 200
        refused = collections.defaultdict(set)
        answers = collections.Counter()
        unexpected = []
        lock = threading.Lock()
        stop_at = time.time() + seconds

        def client(n):
            api = dc.API(server.base, token)
            rnd = random.Random(n)
            round_ = 0
            while time.time() < stop_at:
                kind, rid, method = rnd.choice(records)
                path = "/operations/%s/%s/%s" % (OP, kind, rid)
                status, headers, body = api.call("GET", path)
                if status != 200:
                    with lock:
                        unexpected.append(("GET", status, str(body)[:200]))
                    continue
                etag = headers.get("ETag")
                # Sometimes think first, so others change the record in between.
                if rnd.random() < 0.3:
                    time.sleep(rnd.random() * 0.05)
                mark = "c%d.%d" % (n, round_)
                round_ += 1
                change = (incident_input(body) if method == "PUT" else {})
                change["description"] = (body.get("description") or "") + " " + mark
                status, _, answer = api.call(method, path, change, {"If-Match": etag})
                with lock:
                    answers[status] += 1
                    if status == 200:
                        accepted[rid].add(mark)
                    elif status == 412:
                        refused[rid].add(mark)
                    else:
                        unexpected.append((method, status, str(answer)[:200]))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        api = dc.API(server.base, token)
        lost = phantom = 0
        for kind, rid, _ in records:
            status, _, body = api.call("GET", "/operations/%s/%s/%s" % (OP, kind, rid))
            kept = set(re.findall(r"\bc\d+\.\d+\b", body.get("description") or ""))
            lost += len(accepted[rid] - kept)
            extra = (kept & refused[rid]) | (kept - accepted[rid] - refused[rid])
            if extra:
                print("  %s %s kept changes that were not accepted: %s" % (kind, rid, sorted(extra)[:5]), flush=True)
            phantom += len(extra)
        total = sum(answers.values())
        print("  %d changes sent: %d accepted, %d refused with 412, %d other answers" % (
            total, answers[200], answers[412], total - answers[200] - answers[412]), flush=True)
        checks.check(answers[200] > 0 and answers[412] > 0,
                     "the clients met each other (%d accepted, %d refused)" % (answers[200], answers[412]))
        checks.check(not unexpected, "every answer was 200 or 412 (others: %s)" % unexpected[:3])
        checks.check(lost == 0, "0 lost updates: every accepted change is in the final records (%d missing)" % lost)
        checks.check(phantom == 0, "no refused change was kept (%d)" % phantom)
        versions = {rid: len(accepted[rid]) for _, rid, _ in records}
        print("  accepted per record: %s" % sorted(versions.values()), flush=True)
    finally:
        server.stop()
    return checks


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--clients", type=int, default=64)
    p.add_argument("--seconds", type=int, default=20)
    p.add_argument("--pg-url")
    a = p.parse_args()
    checks = run(a.bin, a.clients, a.seconds, None)
    if a.pg_url:
        more = run(a.bin, a.clients, a.seconds, a.pg_url)
        checks.failures += more.failures
    checks.exit()


if __name__ == "__main__":
    main()
