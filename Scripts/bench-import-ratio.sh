#!/usr/bin/env bash
# Import speed as a share of the engine's own floor, measured side by side in one session
# (BENCHMARKS.md, issue 22 point 1). An ACLED-shaped file of ROWS rows is imported by
# `bearing import incidents` (the whole command: read, check, map, store, one transaction), then
# the rows it stored are inserted again by the engine alone into a fresh copy of the same table:
#   SQLite:     Scripts/bench-import-floor.py (Python's sqlite3, one prepared statement reused);
#   PostgreSQL: `psql \copy` of the same rows into a copy of the table with the same keys and indexes.
# Alternating runs, RUNS of each (default 3), so drift on a noisy machine hits both alike.
# Usage, after `swift build -c release --product bearing`, nothing else running:
#   bash Scripts/bench-import-ratio.sh [ROWS] [RUNS]                       # SQLite
#   PG_URL=postgres://postgres@127.0.0.1:5433/postgres bash Scripts/bench-import-ratio.sh [ROWS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-200000}
RUNS=${2:-3}
BIN=${BIN:-$(pwd)/.build/release/bearing}
WORK=$(mktemp -d); echo "work folder: $WORK" >&2
trap 'rm -rf "$WORK"' EXIT
python3 Scripts/make-acled.py "$ROWS" > "$WORK/acled.csv"
export BEARING_DATA_DIR=$WORK/data
engine=SQLite
if [ -n "${PG_URL:-}" ]; then engine=PostgreSQL; export DATABASE_URL="${PG_URL%/*}/bearing_ratio"; fi
echo "## import vs the engine's floor, $engine, $ROWS rows, $(date -u +%Y-%m-%d), $(nproc) cores, commit $(git rev-parse --short HEAD)"

fresh() {  # a new, migrated database with an operation BENCH
  rm -rf "$WORK/data"
  if [ -n "${PG_URL:-}" ]; then
    psql "$PG_URL" -v ON_ERROR_STOP=1 -q -c "DROP DATABASE IF EXISTS bearing_ratio" -c "CREATE DATABASE bearing_ratio"
  fi
  "$BIN" migrate > /dev/null
  "$BIN" operations create --code BENCH --name Bench --countries SDN > /dev/null
}
import_rate() {
  fresh
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$WORK/rss" "$BIN" import incidents --format acled "$WORK/acled.csv" --operation BENCH > "$WORK/import.log" 2>&1
  end=$(date +%s.%N)
  python3 -c "import sys; print(f'{$ROWS / ($end - $start):.0f} rows/s, max RSS {int(open(\"$WORK/rss\").read().split()[-1]) // 1024} MB')"
}
floor_rate() {
  if [ -z "${PG_URL:-}" ]; then
    python3 Scripts/bench-import-floor.py "$BEARING_DATA_DIR/bearing.sqlite" "$ROWS" --real-only | sed -n 's/.* \([0-9,]*\) rows\/s/\1/p' | tr -d ,
  else
    local q="psql $DATABASE_URL -v ON_ERROR_STOP=1 -qAt"
    $q -c "\\copy (SELECT * FROM context_events) TO '$WORK/rows.tsv'"
    $q -c "DROP TABLE IF EXISTS floor_events" -c "CREATE TABLE floor_events (LIKE context_events INCLUDING ALL)"
    local start end
    start=$(date +%s.%N)
    $q -c "\\copy floor_events FROM '$WORK/rows.tsv'"
    end=$(date +%s.%N)
    $q -c "DROP TABLE floor_events"
    python3 -c "import sys; print(f'{$ROWS / ($end - $start):.0f}')"
  fi
}
imports=(); floors=()
for i in $(seq "$RUNS"); do
  imports+=("$(import_rate)")
  floors+=("$(floor_rate)")
  echo "  run $i: import ${imports[-1]}, floor ${floors[-1]} rows/s"
done
grep -E "added|rows read" "$WORK/import.log" | sed 's/^ */  last import: /'
python3 - "$(printf '%s\n' "${imports[@]}" | cut -d' ' -f1 | paste -sd' ')" "${floors[*]}" <<'PY'
import statistics, sys
imports = [float(x) for x in sys.argv[1].split()]
floors = [float(x) for x in sys.argv[2].split()]
i, f = statistics.median(imports), statistics.median(floors)
print(f"  median: import {i:,.0f} rows/s, floor {f:,.0f} rows/s: the import runs at {100 * i / f:.0f} % of the floor")
PY
