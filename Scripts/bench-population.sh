#!/usr/bin/env bash
# Import of UNHCR's full population statistics file (138,893 rows), its re-import (nothing
# changes), and the totals by year of all nine types (BENCHMARKS.md). SQLite by default; with PG_URL
# set, on a fresh PostgreSQL database named bearing_bench. Usage, after
# `swift build -c release --product bearing`:
#   [PG_URL=postgres://postgres@127.0.0.1:5434/postgres] bash Scripts/bench-population.sh [FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=${1:-../shared/data/unhcr/unhcr_population.csv}
BIN=${BIN:-$(pwd)/.build/release/bearing}
WORK=$(mktemp -d); echo "work folder: $WORK" >&2
export BEARING_DATA_DIR=$WORK/data
measure() { /usr/bin/time -f "    %e s, max RSS %M KB" "$@"; }
if [ -n "${PG_URL:-}" ]; then
  export DATABASE_URL="${PG_URL%/*}/bearing_bench"
  psql "$PG_URL" -v ON_ERROR_STOP=1 -q -c "DROP DATABASE IF EXISTS bearing_bench" -c "CREATE DATABASE bearing_bench" 2>/dev/null
  DB="PostgreSQL $(psql "$DATABASE_URL" -qAt -c 'show server_version')"
else
  DB="SQLite"
fi
echo "## population figures, $DB, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), commit $(git rev-parse --short HEAD)"
"$BIN" migrate > /dev/null
"$BIN" operations create --code BENCH --name Bench --countries SDN > /dev/null
echo "first import of $(basename "$FILE") (whole command):"
measure "$BIN" import population --format unhcr-population "$FILE" --operation BENCH 2>&1 | grep -E "rows read|added|RSS" | sed 's/^ */  /'
echo "re-import of the same file (every figure unchanged):"
measure "$BIN" import population --format unhcr-population "$FILE" --operation BENCH 2>&1 | grep -E "unchanged|RSS" | sed 's/^ */  /'
echo "stats by year, nine types (whole command, 3 runs):"
for i in 1 2 3; do measure "$BIN" stats population --operation BENCH --by year > /dev/null; done 2>&1 | sed 's/^ */  /'
echo "stats by year and origin, REF and ASY (whole command):"
measure "$BIN" stats population --operation BENCH --by year,origin_iso3 --population-type REF,ASY 2>&1 >/dev/null | sed 's/^ */  /'
