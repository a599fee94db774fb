#!/usr/bin/env python3
"""Kill during import (issue 22, drill 6): an import is killed with SIGKILL at a random moment,
TRIALS times, for each of three imports: published incidents (an ACLED file of ROWS rows made by
Scripts/make-acled.py), admin boundaries (Sudan's admin 2, which also places the operation's
published incidents in its areas) and displacement figures (UNHCR's file).

Each trial imports into an operation of its own, prepared the same way as a reference operation
whose import ran to the end. After the kill:
- the database opens cleanly (SQLite's integrity_check; bearing itself starts and lists operations);
- every table holds either the rows it held before the import or those plus exactly what the
  reference import added (0 partial rows, in any table: events, areas, figures, audit entries);
- the import run again completes, and leaves what the reference left.

Usage: drill-kill-import.py --bin .build/debug/bearing [--rows 30000] [--trials 3] [--seed N]
       [--population FILE] [--pg-url postgres://…/postgres] [--only published,admin,displacement]
"""
import argparse
import os
import random
import signal
import subprocess
import time

import drill_common as dc

SHARED = os.environ.get("BEARING_SHARED_DATA", os.path.join(dc.ROOT, "..", "shared", "data"))
BOUNDARIES = [os.path.join(SHARED, "boundaries", "sdn", "sdn_admin%d.geojson" % level) for level in (0, 1, 2)]


def delta(before, after):
    return {t: after.get(t, 0) - before.get(t, 0) for t in set(before) | set(after)
            if after.get(t, 0) != before.get(t, 0)}


def timed(binary, env, args):
    started = time.perf_counter()
    dc.bearing(binary, env, *args)
    return time.perf_counter() - started


class Kind:
    """One kind of import: how an operation is prepared for it, and the command that imports."""

    def __init__(self, name, prepare, command):
        self.name, self.prepare, self.command = name, prepare, command


def state(db):
    """Rows in every table, and where the published incidents are placed (an update, not a row)."""
    counts = db.counts()
    counts["(published incidents placed in admin 2 areas)"] = db.number(
        "SELECT COUNT(*) FROM context_events e JOIN admin_areas a ON a.operation_id = e.operation_id "
        "AND a.pcode = e.area_pcode WHERE a.level = 2")
    return counts


def drill(binary, db, kind, trials, rnd, checks):
    env = db.env
    print("  %s:" % kind.name, flush=True)
    kind.prepare("REF")
    before = state(db)
    seconds = timed(binary, env, kind.command("REF"))
    full = delta(before, state(db))
    print("    the reference import took %.1f s and added %s" % (seconds, ", ".join(
        "%s %d" % (t, n) for t, n in sorted(full.items()))), flush=True)
    for trial in range(1, trials + 1):
        code = "K%d" % trial
        kind.prepare(code)
        before = state(db)
        after_seconds = rnd.uniform(0.05, 0.95) * seconds
        proc = subprocess.Popen([binary, *kind.command(code)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        time.sleep(after_seconds)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        ok, detail = db.opens_cleanly()
        checks.check(ok, "trial %d, killed after %.2f s%s: the database opens cleanly (%s)" % (
            trial, after_seconds, " (it had already finished)" if finished else "", detail))
        opened = dc.bearing(binary, env, "operations", "list", check=False)
        checks.check(opened.returncode == 0 and code in opened.stdout, "  and bearing starts on it")
        changed = delta(before, state(db))
        held = "none" if not changed else "all" if changed == full else "PARTIAL"
        checks.check(held != "PARTIAL", "  it holds %s of the import's rows%s" % (
            held, "" if held != "PARTIAL" else ": %s, where a whole import adds %s" % (changed, full)))
        dc.bearing(binary, env, *kind.command(code))
        again = delta(before, state(db))
        # A run over rows already imported adds only its own audit entry and run record.
        grown = {t: n for t, n in again.items() if n != full.get(t)}
        checks.check(held == "all" or again == full,
                     "  the import run again completes with what a whole import adds%s" % (
                         "" if held == "all" or again == full else ": %s" % grown))


def run(binary, rows, trials, seed, population, pg_url, only, checks):
    db = dc.Database("bearing_drill_kill", pg_url)
    env = db.env
    rnd = random.Random(seed)
    print("  %s, seed %d" % (db.kind, seed), flush=True)
    dc.bearing(binary, env, "migrate")
    acled = os.path.join(env["BEARING_DATA_DIR"], "acled.csv")
    with open(acled, "w") as out:
        subprocess.run(["python3", os.path.join(dc.ROOT, "Scripts", "make-acled.py"), str(rows)], stdout=out,
                       check=True)
    small = os.path.join(env["BEARING_DATA_DIR"], "acled-small.csv")
    with open(small, "w") as out:
        subprocess.run(["python3", os.path.join(dc.ROOT, "Scripts", "make-acled.py"), str(max(rows // 3, 1000))],
                       stdout=out, check=True)
    made = set()

    def operation(code):
        if code not in made:
            dc.bearing(binary, env, "operations", "create", "--code", code, "--name", code, "--countries", "SDN")
            made.add(code)

    def incidents_ready(prefix):
        return lambda code: operation(prefix + code)

    def boundaries_ready(code):
        # Published incidents and the upper levels first: admin 2 then places those incidents anew.
        operation("B" + code)
        dc.bearing(binary, env, "import", "incidents", "--format", "acled", small, "--operation", "B" + code)
        for path in BOUNDARIES[:2]:
            dc.bearing(binary, env, "import", "boundaries", path, "--operation", "B" + code)

    kinds = [
        Kind("published incidents (%d ACLED rows)" % rows, incidents_ready("I"),
             lambda code: ["import", "incidents", "--format", "acled", acled, "--operation", "I" + code]),
        Kind("admin 2 boundaries, placing %d published incidents" % max(rows // 3, 1000), boundaries_ready,
             lambda code: ["import", "boundaries", BOUNDARIES[2], "--operation", "B" + code]),
        Kind("displacement figures (%s)" % os.path.basename(population), incidents_ready("P"),
             lambda code: ["import", "population", "--format", "unhcr-population" if "population" in population
                           else "unhcr-demographics", population, "--operation", "P" + code]),
    ]
    for kind in kinds:
        if only and not any(kind.name.startswith(prefix) for prefix in only.split(",")):
            continue
        drill(binary, db, kind, trials, rnd, checks)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--rows", type=int, default=30000)
    p.add_argument("--trials", type=int, default=3)
    p.add_argument("--seed", type=int, default=int(time.time()))
    p.add_argument("--population", default=os.path.join(SHARED, "unhcr", "unhcr_demographics.csv"))
    p.add_argument("--pg-url")
    p.add_argument("--only", help="published,admin,displacement: some of the three imports")
    a = p.parse_args()
    checks = dc.Checks()
    run(a.bin, a.rows, a.trials, a.seed, a.population, None, a.only, checks)
    if a.pg_url:
        run(a.bin, a.rows, a.trials, a.seed, a.population, a.pg_url, a.only, checks)
    checks.exit()


if __name__ == "__main__":
    main()
