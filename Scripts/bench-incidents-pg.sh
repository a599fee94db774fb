#!/usr/bin/env bash
# The incident figures on PostgreSQL (BENCHMARKS.md): an ACLED-shaped file of EVENTS rows imported,
# the analysis's two main queries over one year, the incident map; then the incidents list and the
# dashboard with INCIDENTS own incidents under 32 concurrent clients. Usage, after
# `swift build -c release --product bearing`, with a PostgreSQL server and nothing else running:
#   PG_URL=postgres://postgres@127.0.0.1:5434/postgres bash Scripts/bench-incidents-pg.sh [EVENTS] [INCIDENTS]
# A database named bearing_bench is created (and dropped first if it is there). Needs psql, curl, wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/bench-lib.sh
EVENTS=${1:-1000000}
COUNT=${2:-100000}
BIN=${BIN:-$(pwd)/.build/release/bearing}
PG_URL=${PG_URL:?set PG_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5434/postgres}
PORT=${PORT:-8768}
WORK=$(mktemp -d); echo "work folder: $WORK" >&2
export BEARING_DATA_DIR=$WORK/data DATABASE_URL="${PG_URL%/*}/bearing_bench"
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
measure() { /usr/bin/time -f "%e s, max RSS %M KB" "$@"; }
q() { psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qAt "$@"; }
psql "$PG_URL" -v ON_ERROR_STOP=1 -q -c "DROP DATABASE IF EXISTS bearing_bench" -c "CREATE DATABASE bearing_bench"

echo "## incidents, PostgreSQL $(q -c 'show server_version'), $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), commit $(git rev-parse --short HEAD)"
"$BIN" migrate > /dev/null  # on PostgreSQL the schema is a separate step
"$BIN" demo > /dev/null
"$BIN" operations create --code BENCH --name Bench --countries SDN > /dev/null
python3 Scripts/make-acled.py "$EVENTS" > "$WORK/acled.csv"
echo; echo "import of $EVENTS ACLED-shaped rows (whole command):"
measure "$BIN" import incidents --format acled "$WORK/acled.csv" --operation BENCH 2>&1 | grep -E "added|RSS" | sed 's/^ */  /'

echo; echo "the analysis's two main queries, one year, right after the import, SQL only (server-side execution time), 3 runs each:"
op=$(q -c "select id from operations where code = 'BENCH'")
window="operation_id = '$op' and missing_since is null and source in ('acled') and occurred_on >= '2024-01-01' and occurred_on < '2025-01-01'"
weekly="select to_char(date_trunc('week', occurred_on AT TIME ZONE 'UTC'), 'YYYY-MM-DD') as bucket, category, source, count(*)
  from context_events where $window and time_precision in ('minute','day','week') and excluded_from_trends = false group by 1, 2, 3"
areas="select area_pcode, category, count(*) from context_events where $window and excluded_from_trends = false group by 1, 2"
for name in weekly areas; do
  times=$(for i in 1 2 3; do q -c "EXPLAIN (ANALYZE, FORMAT JSON) ${!name}" | python3 -c 'import json,sys; print(round(json.load(sys.stdin)[0]["Execution Time"]))'; done | paste -sd, -)
  echo "  $name: $times ms"
done

echo; echo "the whole analysis of one year by week (bearing analyse incidents, including start-up), 3 runs:"
for i in 1 2 3; do measure "$BIN" analyse incidents --operation BENCH --source acled --from 2024-01-01 --to 2024-12-31 --period week 2>&1 >/dev/null | sed 's/^/  /'; done
echo; echo "streamed CSV export of every row:"
measure "$BIN" export incidents --operation BENCH --source acled --format csv 2>&1 >/dev/null | sed 's/^/  /'

# Own incidents: the demo's, cloned in bulk (Scripts/bench-lib.sh).
clone_incidents_pg "$DATABASE_URL" "$COUNT"
q -c "ANALYZE incidents"
echo; echo "own incidents: $(q -c 'select count(*) from incidents')"

BEARING_PASSWORD="bench password long" "$BIN" users create --email bench@example.org --name Bench --admin > /dev/null
"$BIN" serve --port "$PORT" > "$WORK/server.log" 2>&1 &
SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.05; done
P=http://127.0.0.1:$PORT
token() { grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }
sign_in() {  # jar email password
  local csrf; csrf=$(curl -s -c "$1" -b "$1" "$P/sign-in" | token)
  curl -s -c "$1" -b "$1" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "email=$2" --data-urlencode "password=$3" "$P/sign-in"
}
J=$WORK/bench; sign_in "$J" bench@example.org "bench password long"
csrf=$(curl -s -b "$J" "$P/operations/BENCH" | token)
curl -s -b "$J" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode email=bench@example.org --data-urlencode role=security_coordinator "$P/operations/BENCH/members"
echo; echo "incident map of one year over HTTP, 4 requests:"
for i in 1 2 3 4; do
  curl -s -b "$J" -o "$WORK/map.html" -w '  %{time_total} s, %{size_download} bytes\n' "$P/operations/BENCH/incidents/map?source=acled&from=2024-01-01&to=2024-12-31"
done

H=$WORK/heops; sign_in "$H" heops@demo.bearing.test bearing-demo-heops
COOKIE="bearing-session=$(awk '$6=="bearing-session"{print $7}' "$H")"
echo; echo "32 concurrent clients, 2 threads, 15 s each (wrk --latency), signed in as the HeOps:"
for p in /operations/SDN-DEMO/incidents /operations/SDN-DEMO; do
  printf '  %s: %s bytes\n' "$p" "$(curl -s -b "$H" -o /dev/null -w '%{size_download}' "$P$p")"
  wrk -t2 -c32 -d15s --latency -H "Cookie: $COOKIE" "$P$p" | grep -E 'Requests/sec|^ +(50|90|99)%' | sed 's/^/    /'
done
