#!/usr/bin/env python3
"""The weekly brief's benchmark (BENCHMARKS.md, issue 20): generating it, measuring its audience
floors, and writing its Word file and PDF, for the demo and for an operation grown to INCIDENTS own
incidents, TALLIES flow tallies, PEOPLE people and RISKS risks (default 100,000 / 1,000,000 / 2,000 /
500). Rows are cloned from the demo's own in SQL (ids, numbers, days and audiences varied), so every
column is one Bearing wrote; flow summaries are rebuilt by `bearing maintenance rebuild-flow-summaries`.

Usage, after `swift build -c release --product bearing` (nothing else running):
  python3 Scripts/bench-briefs.py [INCIDENTS TALLIES PEOPLE RISKS]                      # SQLite
  PG_URL=postgres://postgres@127.0.0.1:5433/postgres python3 Scripts/bench-briefs.py   # PostgreSQL
Needs sqlite3 or psql, GNU time (/usr/bin/time) and Chromium for the PDF."""
import os, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.environ.get("BIN", os.path.join(root, ".build/release/bearing"))
incidents, tallies, people, risks = (int(a) for a in (sys.argv[1:5] if len(sys.argv) > 4 else (100000, 1000000, 2000, 500)))
work = tempfile.mkdtemp()
env = dict(os.environ, BEARING_DATA_DIR=os.path.join(work, "data"))
pg = os.environ.get("PG_URL")
if pg:
    env["DATABASE_URL"] = pg.rsplit("/", 1)[0] + "/bearing_bench_briefs"
    subprocess.run(["psql", pg, "-qc", "DROP DATABASE IF EXISTS bearing_bench_briefs"], check=True, capture_output=True)
    subprocess.run(["psql", pg, "-qc", "CREATE DATABASE bearing_bench_briefs"], check=True, capture_output=True)
    subprocess.run([binary, "migrate"], env=env, check=True, capture_output=True)
subprocess.run([binary, "demo"], env=env, check=True, capture_output=True)
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
engine = "PostgreSQL" if pg else "SQLite"
print(f"## briefs, {engine}, commit {commit}, {os.cpu_count()} cores")


def sql(statement):
    if pg:
        out = subprocess.run(["psql", env["DATABASE_URL"], "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", statement],
                             check=True, capture_output=True, text=True).stdout
    else:
        out = subprocess.run(["sqlite3", os.path.join(env["BEARING_DATA_DIR"], "bearing.sqlite"), statement],
                             check=True, capture_output=True, text=True).stdout
    return out.strip()


def columns(table):
    if pg:
        return sql(f"select string_agg(column_name, ',' order by ordinal_position) from information_schema.columns "
                   f"where table_name = '{table}'").split(",")
    return sql(f"select group_concat(name, ',') from pragma_table_info('{table}')").split(",")


def uuid(tag, g):
    if pg:
        return f"(lpad(to_hex({tag}), 8, '0') || '-0000-4000-8000-' || lpad(to_hex({g}), 12, '0'))::uuid"
    return f"printf('%08X-0000-4000-8000-%012X', {tag}, {g})"


def earlier(column, seconds):
    return f"{column} - ({seconds}) * interval '1 second'" if pg else f"{column} - ({seconds})"


def series(n):
    return f"generate_series(1, {n}) g" if pg else f"generate_series(1, {n}) gs"


g = "g::bigint" if pg else "gs.value"


def clone(table, n, source, overrides):
    cols = columns(table)
    exprs = [overrides.get(c, f"src.{c}") for c in cols]
    sql(f"insert into {table} ({','.join(cols)}) select {','.join(exprs)} from {table} src, {series(n)} "
        f"where src.id = ({source})")


def measure(label, args):
    result = subprocess.run(["/usr/bin/time", "-f", "%e s, max RSS %M KB", binary] + args, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout, result.stderr)
        raise SystemExit(1)
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    print(f"- {label}: whole command {lines[-1]}; " + "; ".join(lines[:-1]))


def documents(label):
    # Bearing's own memory without Chromium (GNU time counts the children it waits for), then the PDF.
    for kind, name in (("weekly", "brief"), ("handover", "handover")):
        args = ["briefs", "generate", "--operation", "SDN-DEMO", "--kind", kind, "--issue"]
        measure(f"{label}, {kind}: generate, audience floors, issue, Word",
                args + ["--docx", os.path.join(work, name + ".docx")])
        measure(f"{label}, {kind}: the same and the PDF (Chromium's memory included)",
                args + ["--pdf", os.path.join(work, name + ".pdf")])


documents("demo")

second = f"(({g} * 7919) % 31536000)"
base = sql("select max(number) from incidents")
clone("incidents", incidents, "select id from incidents order by number limit 1", {
    "id": uuid(1, g), "number": f"{base} + {g}", "title": f"src.title || ' ' || {g}",
    "occurred_at": earlier("src.created_at", second), "known_at": earlier("src.created_at", second),
    "serious": f"({g} % 40 = 0)", "reported_to_region_at": earlier("src.created_at", f"{second} - 3600"),
    "audience": f"(case {g} % 3 when 0 then 'public' when 1 then 'movement' else 'ifrc' end)",
})
clone("people", people, "select id from people order by created_at limit 1", {
    "id": uuid(2, g), "full_name": f"src.full_name || ' ' || {g}", "user_id": "null", "external_id": "null",
    "email": "null", "arrival_at": earlier("src.created_at", f"({g} % 200) * 86400"), "left_at": "null",
})
risk_base = sql("select max(number) from risks")
source_risk = "select id from risks order by number limit 1"
clone("risks", risks, source_risk, {
    "id": uuid(3, g), "number": f"{risk_base} + {g}", "title": f"src.title || ' ' || {g}",
    "level": f"({g} % 5)",
})
for table, tag in (("risk_versions", 4), ("risk_measures", 5)):
    cols = columns(table)
    exprs = [{"id": uuid(tag, f"{g} * 64 + src.position" if table == "risk_measures" else f"{g} * 64 + src.version"),
              "risk_id": uuid(3, g)}.get(c, f"src.{c}") for c in cols]
    sql(f"insert into {table} ({','.join(cols)}) select {','.join(exprs)} from {table} src, {series(risks)} "
        f"where src.risk_id = ({source_risk})")
# Tallies: as many as asked, over the past year at the demo's points (as Scripts/bench-flows.sh).
clone("flow_observations", tallies, "select id from flow_observations order by created_at limit 1", {
    "id": uuid(6, g), "window_start": earlier("src.created_at", second),
    "window_end": earlier("src.created_at", f"{second} - 3600"),
    "direction": f"(case {g} % 3 when 0 then 'incoming' when 1 then 'outgoing' else 'transit' end)",
    "total": f"1 + ({g} % 60)", "import_key": "null",
})
subprocess.run([binary, "maintenance", "rebuild-flow-summaries"], env=env, check=True, capture_output=True)
counts = sql("select (select count(*) from incidents) || ' incidents, ' || (select count(*) from flow_observations) "
             "|| ' tallies, ' || (select count(*) from people) || ' people, ' || (select count(*) from risks) || ' risks'")
print(f"grown to {counts}")
documents("grown")
for name in ("brief.docx", "brief.pdf", "handover.docx", "handover.pdf"):
    print(f"- {name}: {os.path.getsize(os.path.join(work, name))} bytes")
