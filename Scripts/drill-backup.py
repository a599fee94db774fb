#!/usr/bin/env python3
"""Backup and restore under load (issue 22, drill 10), on SQLite: WRITERS API clients report
incidents without pause while `bearing backup` runs beside the server. The backup is then restored
into a new data folder with `bearing restore`, and:
- `bearing audit verify` says its audit chain is intact;
- its audit log is exactly the source's first K entries (K = the backup's newest), entry for entry;
- every row of every table in the backup is in the source, unchanged (the load only adds rows; the
  tables a request touches by itself, such as a token's last use, are named and left out);
- the incidents in the backup are exactly those the source's audit log says were reported up to
  entry K: nothing after the backup's moment, nothing before it missing.

Usage: drill-backup.py --bin .build/debug/bearing [--writers 8] [--seconds 20]
"""
import argparse
import os
import subprocess
import threading
import time

import drill_common as dc

OP = "SDN-DEMO"
# Rows a request changes by itself, not the load's writes: sessions, a token's last use, counters.
VOLATILE = {"web_sessions", "api_tokens", "sign_in_attempts", "rate_limits", "jobs"}


def dump(file, table):
    r = subprocess.run(["sqlite3", "-cmd", ".timeout 30000", "-separator", "\x1f", file,
                        'SELECT * FROM "%s"' % table], capture_output=True, check=True)
    return set(r.stdout.split(b"\n"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--writers", type=int, default=8)
    p.add_argument("--seconds", type=int, default=20)
    a = p.parse_args()
    checks = dc.Checks()
    db = dc.Database("unused")
    server = dc.Server(a.bin, db.env, "/tmp/drill-backup-server.log", demo=True, extra_env={"BEARING_WORKER": "off"})
    backup = os.path.join(db.dir, "backup.sqlite")
    try:
        token = dc.api_token(server.base, "security@demo.bearing.test", "bearing-demo-security")
        stop = threading.Event()
        made, errors = [], []
        lock = threading.Lock()

        def writer(n):
            api = dc.API(server.base, token)
            i = 0
            while not stop.is_set():
                status, _, body = api.call("POST", "/operations/%s/incidents" % OP, {
                    "title": "Backup drill %d.%d" % (n, i), "category": "crime",
                    "occurred_at": "2026-12-01T08:00:00Z", "audience": "ifrc", "place_name": "Kassala",
                    "latitude": 15.45, "longitude": 36.37})
                with lock:
                    (made if status == 201 else errors).append(body.get("id") if status == 201 else (status, body))
                i += 1

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(a.writers)]
        for t in threads:
            t.start()
        time.sleep(a.seconds / 2)
        before = len(made)
        started = time.perf_counter()
        out = dc.bearing(a.bin, db.env, "backup", backup)
        took = time.perf_counter() - started
        during = len(made) - before
        time.sleep(max(a.seconds / 2 - took, 2))
        stop.set()
        for t in threads:
            t.join()
        print("  %s; %.1f s, while %d incidents were reported; %d in all" % (
            out.stdout.strip(), took, during, len(made)), flush=True)
        checks.check(not errors, "every report during the load was accepted (%s)" % errors[:3])
        checks.check(during > 0, "writes went on while the backup was written (%d)" % during)
    finally:
        server.stop()

    restored = dc.Database("unused")
    dc.bearing(a.bin, restored.env, "restore", backup)
    verify = dc.bearing(a.bin, restored.env, "audit", "verify", check=False)
    checks.check(verify.returncode == 0 and verify.stdout.startswith("OK"),
                 "bearing audit verify on the restored database: %s" % (verify.stdout + verify.stderr).strip())
    ok, detail = restored.opens_cleanly()
    checks.check(ok, "the restored database passes integrity_check (%s)" % detail)

    k = restored.number("SELECT MAX(sequence) FROM audit_log")
    source_audit = db.rows("SELECT sequence, hash FROM audit_log WHERE sequence <= %d ORDER BY sequence" % k)
    restored_audit = restored.rows("SELECT sequence, hash FROM audit_log ORDER BY sequence")
    later = db.number("SELECT COUNT(*) FROM audit_log WHERE sequence > %d" % k)
    checks.check(source_audit == restored_audit and k > 0,
                 "its audit log is the source's first %d entries, entry for entry (the source has %d more)" % (
                     k, later))

    differing = []
    for table in sorted(set(db.tables()) - VOLATILE):
        missing = dump(restored.file, table) - dump(db.file, table)
        if missing:
            differing.append("%s (%d rows)" % (table, len(missing)))
    checks.check(not differing, "every row of the backup is in the source, unchanged%s" % (
        "" if not differing else ": not so in " + ", ".join(differing)))

    in_backup = set(r[0] for r in restored.rows(
        "SELECT id FROM incidents WHERE title LIKE 'Backup drill %'"))
    by_then = set(r[0] for r in db.rows(
        "SELECT i.id FROM incidents i JOIN audit_log l ON l.record_id = i.id AND l.record_kind = 'incident' "
        "AND l.action = 'create' WHERE i.title LIKE 'Backup drill %%' AND l.sequence <= %d" % k))
    checks.check(in_backup == by_then and len(in_backup) > 0,
                 "the backup holds the %d drill incidents reported up to its moment, and no other "
                 "(%d missing, %d extra)" % (len(by_then), len(by_then - in_backup), len(in_backup - by_then)))
    checks.exit()


if __name__ == "__main__":
    main()
