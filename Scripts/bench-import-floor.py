#!/usr/bin/env python3
"""What SQLite itself costs to store imported context events, without Bearing's code: rows taken
from a Bearing database (after `bearing import incidents`) are inserted again into a fresh copy of
the context_events table through SQLite's C API (Python's sqlite3, one prepared statement reused,
one transaction), first with the table's real keys and indexes, then with fewer of them. It tells
how fast an import could be at best, and what each key and index costs. BENCHMARKS.md cites it.

Usage: python3 Scripts/bench-import-floor.py DATA_DIR/bearing.sqlite [ROWS] [--real-only]   (default 200000)
--real-only measures the real table alone (Scripts/bench-import-ratio.sh).
--batches measures, on the real table, the ways a driver can send the rows: one single-row upsert prepared once;
statements of 560 rows prepared anew each time (what SQLiteNIO allows); the same prepared once.
"""
import os
import sqlite3
import sys
import tempfile
import time

real_only = "--real-only" in sys.argv
batches = "--batches" in sys.argv
args = [a for a in sys.argv[1:] if a not in ("--real-only", "--batches")]
source, limit = args[0], int(args[1]) if len(args) > 1 else 200_000
src = sqlite3.connect(source)
columns = [r[1] for r in src.execute("pragma table_info(context_events)")]
rows = src.execute(f"select * from context_events limit {limit}").fetchall()
table = src.execute("select sql from sqlite_master where name = 'context_events'").fetchone()[0]
indexes = {name: sql for name, sql in src.execute(
    "select name, sql from sqlite_master where tbl_name = 'context_events' and type = 'index' and sql is not null")}
print(f"SQLite {sqlite3.sqlite_version}, {len(rows):,} rows of {len(columns)} columns, "
      f"{sum(len(str(v)) for v in rows[0]):,} characters in the first")

no_fk = table.replace('REFERENCES "operations" ("id") ON DELETE CASCADE ON UPDATE NO ACTION', "")
no_pk = no_fk.replace('"id" UUID PRIMARY KEY', '"id" UUID')
no_unique = no_pk.replace(', CONSTRAINT "uq:context_events.operation_id+context_events.event_key" '
                          'UNIQUE ("operation_id", "event_key")', "")
variants = [
    ("the real table: UUID primary key, unique source key, every index", [no_fk] + list(indexes.values())),
    ("without the UUID primary key", [no_pk] + list(indexes.values())),
    ("unique source key and the covering analysis index only", [no_pk, indexes["ix_context_events_analysis"]]),
    ("unique source key only", [no_pk]),
    ("no key, no index", [no_unique]),
]
insert = f"insert into context_events values ({','.join('?' * len(columns))})"
for label, statements in variants[:1] if real_only else variants:
    with tempfile.TemporaryDirectory() as work:
        c = sqlite3.connect(os.path.join(work, "floor.sqlite"))
        c.execute("pragma journal_mode = wal")
        for statement in statements:
            c.execute(statement)
        started = time.perf_counter()
        c.execute("begin")
        c.executemany(insert, rows)
        c.execute("commit")
        elapsed = time.perf_counter() - started
        c.close()
    print(f"  {label}: {elapsed:.2f} s, {len(rows) / elapsed:,.0f} rows/s")

if batches:
    upsert = " ON CONFLICT (operation_id, event_key) DO UPDATE SET " + ", ".join(
        f'"{c}" = excluded."{c}"' for c in columns if c not in ("id", "operation_id", "event_key"))
    one = "(" + ",".join("?" * len(columns)) + ")"
    for label, per, reuse in [("single-row upsert, prepared once", 1, True),
                              ("560-row upserts, each prepared anew", 560, False),
                              ("560-row upserts, prepared once", 560, True)]:
        with tempfile.TemporaryDirectory() as work:
            c = sqlite3.connect(os.path.join(work, "floor.sqlite"), cached_statements=128 if reuse else 0)
            c.execute("pragma journal_mode = wal")
            for statement in [no_fk] + list(indexes.values()):
                c.execute(statement)
            started = time.perf_counter()
            c.execute("begin")
            if per == 1:
                c.executemany(f"insert into context_events values {one}{upsert}", rows)
            else:
                for i in range(0, len(rows), per):
                    chunk = rows[i:i + per]
                    c.execute(f"insert into context_events values {','.join([one] * len(chunk))}{upsert}",
                              [v for r in chunk for v in r])
            c.execute("commit")
            elapsed = time.perf_counter() - started
            c.close()
        print(f"  {label}: {elapsed:.2f} s, {len(rows) / elapsed:,.0f} rows/s")
