#!/usr/bin/env python3
"""The engine's own floor for one dashboard view (BENCHMARKS.md, issue 22 point 3).

Reads a server log written at BEARING_LOG_LEVEL=debug, takes the statements of the request that made
the most of them (the dashboard view the caller asked for; the job worker's carry no request id), and
runs the same statements with the same values on the same SQLite file from Python's sqlite3: once
prepared anew for each statement, as SQLiteNIO does, and once with the statements prepared once and
reused. What SQLite itself needs for a view, to set beside the server's own cost per view.

Usage: bench-dashboard-floor.py LOG DATABASE [--repeat N]
Prints: statements, then the median milliseconds per view prepared anew and reused, then the five
dearest statements (prepared anew), one per line, tab-separated.
"""
import argparse
import collections
import datetime
import re
import sqlite3
import statistics
import time

ENTRY = re.compile(
    r"binds=\[(.*?)\] database-id=sqlite request-id=(\S+) sql=(.*?) \[SQLiteKit\] Executing query", re.S)
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000$")


def value(text):
    """A bind as SQLiteNIO stored it: dates as seconds since 1970, booleans as 0 or 1."""
    text = text.replace('\\"', '"').replace("\\\\", "\\")
    if DATE.match(text):
        return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z").timestamp()
    if text in ("true", "false"):
        return 1 if text == "true" else 0
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text


def statements(log):
    by_request = collections.defaultdict(list)
    for binds, request, sql in ENTRY.findall(log):
        by_request[request].append((sql, [value(b) for b in QUOTED.findall(binds)]))
    if not by_request:
        raise SystemExit("no SQL with a request id in the log: was the server run with BEARING_LOG_LEVEL=debug?")
    return max(by_request.values(), key=len)


def view(db, found, timings=None):
    for i, (sql, binds) in enumerate(found):
        start = time.perf_counter()
        db.execute(sql, binds).fetchall()
        if timings is not None:
            timings[i].append(time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("database")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    with open(args.log, encoding="utf-8", errors="replace") as f:
        found = statements(f.read())
    results = []
    timings = collections.defaultdict(list)
    for cached in (0, 256):
        db = sqlite3.connect(f"file:{args.database}?mode=ro", uri=True, cached_statements=cached)
        view(db, found)  # warm the page cache
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            view(db, found, timings if cached == 0 else None)
            runs.append(time.perf_counter() - start)
        results.append(statistics.median(runs) * 1000)
        db.close()
    print(len(found))
    print(f"{results[0]:.2f}\t{results[1]:.2f}")
    dearest = sorted(timings.items(), key=lambda item: -statistics.median(item[1]))[:5]
    for i, times in dearest:
        print(f"{statistics.median(times) * 1000:.3f} ms\t{' '.join(found[i][0].split())[:160]}")


if __name__ == "__main__":
    main()
