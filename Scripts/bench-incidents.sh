#!/usr/bin/env bash
# The incident benchmarks of BENCHMARKS.md: an ACLED-shaped file of ROWS rows (default 1,000,000)
# imported, analysed, mapped and exported. Usage (from the repository root, after
# `swift build -c release --product bearing`; nothing else running):
#   bash Scripts/bench-incidents.sh [ROWS]
# Needs python3, curl and GNU time (/usr/bin/time). About 6 minutes for a million rows on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
BIN=${BIN:-$(pwd)/.build/release/bearing}
PORT=${PORT:-8766}
WORK=$(mktemp -d); echo "work folder: $WORK" >&2
export BEARING_DATA_DIR=$WORK/data
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
measure() { /usr/bin/time -f "%e s, max RSS %M KB" "$@"; }

echo "## incidents, SQLite, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), commit $(git rev-parse --short HEAD)"
python3 Scripts/make-acled.py "$ROWS" > "$WORK/acled.csv"
echo "ACLED-shaped file: $ROWS rows, $(stat -c %s "$WORK/acled.csv") bytes"
"$BIN" migrate > /dev/null
"$BIN" operations create --code BENCH --name Bench --countries SDN > /dev/null

echo; echo "import (whole command: read, check, map, stage, reconcile, one transaction):"
measure "$BIN" import incidents --format acled "$WORK/acled.csv" --operation BENCH 2>&1 | grep -E "added|RSS" | sed 's/^ */  /'
echo "re-import of the same file (everything unchanged):"
measure "$BIN" import incidents --format acled "$WORK/acled.csv" --operation BENCH 2>&1 | grep -E "unchanged|RSS" | sed 's/^ */  /'

echo; echo "the analysis's two main queries, one year (about a tenth of the rows), SQL only, 3 runs each:"
python3 - "$BEARING_DATA_DIR/bearing.sqlite" <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
op = c.execute("select id from operations where code = 'BENCH'").fetchone()[0]
window = "operation_id = ? and missing_since is null and source in ('acled') and occurred_on >= 1704067200 and occurred_on < 1735689600"
queries = {
    "weekly counts by category": "select date(CAST((occurred_on - 345600) / 604800 AS INTEGER) * 604800 + 345600, 'unixepoch') as bucket, "
        f"category, source, count(*) from context_events where {window} and time_precision in ('minute','day','week') "
        "and excluded_from_trends = 0 group by bucket, category, source",
    "area x category": f"select area_pcode, category, count(*) from context_events where {window} and excluded_from_trends = 0 "
        "group by area_pcode, category",
}
for name, sql in queries.items():
    times = []
    for _ in range(3):
        t = time.perf_counter(); c.execute(sql, (op,)).fetchall(); times.append((time.perf_counter() - t) * 1000)
    print(f"  {name}: {', '.join(f'{x:.0f}' for x in times)} ms")
PY

echo; echo "the whole analysis of one year by week (bearing analyse incidents, including start-up), 3 runs:"
for i in 1 2 3; do measure "$BIN" analyse incidents --operation BENCH --source acled --from 2024-01-01 --to 2024-12-31 --period week 2>&1 >/dev/null | sed 's/^/  /'; done

echo; echo "streamed CSV export of every row (bearing export incidents > /dev/null):"
measure "$BIN" export incidents --operation BENCH --source acled --format csv 2>&1 >/dev/null | sed 's/^/  /'

echo; echo "incident map of one year (about a tenth of the rows) over HTTP, 4 requests:"
BEARING_PASSWORD="bench password long" "$BIN" users create --email bench@example.org --name Bench --admin > /dev/null
"$BIN" serve --port "$PORT" > "$WORK/server.log" 2>&1 &
SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.05; done
P=http://127.0.0.1:$PORT; J=$WORK/jar
token() { grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }
csrf=$(curl -s -c "$J" -b "$J" "$P/sign-in" | token)
curl -s -c "$J" -b "$J" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode email=bench@example.org --data-urlencode "password=bench password long" "$P/sign-in"
csrf=$(curl -s -b "$J" "$P/operations/BENCH" | token)
curl -s -b "$J" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode email=bench@example.org --data-urlencode role=security_coordinator "$P/operations/BENCH/members"
for i in 1 2 3 4; do
  curl -s -b "$J" -o "$WORK/map.html" -w '  %{time_total} s, %{size_download} bytes\n' "$P/operations/BENCH/incidents/map?source=acled&from=2024-01-01&to=2024-12-31"
done
echo "  ($(grep -o '[0-9]* incidents, grouped in squares of [0-9.]*°' "$WORK/map.html" | head -1))"
