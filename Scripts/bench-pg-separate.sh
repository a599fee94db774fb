#!/usr/bin/env bash
# PostgreSQL on its own core (BENCHMARKS.md, issue 22 point 4). On a two-core machine PostgreSQL, the
# app server and the load generator share both cores, which is why the PostgreSQL figures look worse
# than SQLite's. This script measures the incidents list and the dashboard with COUNT own incidents
# (32 clients, 2 threads, 10 s, wrk) in two layouts, with `taskset`:
#   shared:    PostgreSQL, `bearing serve` and wrk each free to use cores 0 and 1;
#   separate:  PostgreSQL alone on core 1; `bearing serve` and wrk on core 0.
# A static route (/bearing.css) is measured in each layout: the app server's own ceiling there.
# Usage, after `swift build -c release --product bearing`, with a PostgreSQL server on this machine
# (its processes are re-pinned, and left free on both cores at the end), nothing else running:
#   PG_URL=postgres://postgres@127.0.0.1:5433/postgres bash Scripts/bench-pg-separate.sh [COUNT]
# A database named bearing_separate is created (dropped first if it is there). Needs psql, curl, wrk, taskset.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/bench-lib.sh
COUNT=${1:-100000}
BIN=${BIN:-$(pwd)/.build/release/bearing}
PG_URL=${PG_URL:?set PG_URL to a PostgreSQL server on this machine}
PORT=${PORT:-8770}
WORK=$(mktemp -d); echo "work folder: $WORK" >&2
export BEARING_DATA_DIR=$WORK/data DATABASE_URL="${PG_URL%/*}/bearing_separate"
q() { psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qAt "$@"; }
# The postmaster: the parent of the checkpointer. New backends inherit its affinity.
postmaster=$(ps -o ppid= -p "$(psql "$PG_URL" -qAt -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")" | tr -d ' ')
pin_postgres() { for pid in $postmaster $(pgrep -P "$postmaster"); do taskset -pc "$1" "$pid" > /dev/null 2>&1 || true; done; }
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true
  pin_postgres 0-1 2>/dev/null || true; rm -rf "$WORK"
}
trap cleanup EXIT
psql "$PG_URL" -v ON_ERROR_STOP=1 -q -c "DROP DATABASE IF EXISTS bearing_separate" -c "CREATE DATABASE bearing_separate"
echo "## PostgreSQL $(q -c 'show server_version') on its own core, $COUNT own incidents, $(date -u +%Y-%m-%d), $(nproc) cores, commit $(git rev-parse --short HEAD)"
"$BIN" migrate > /dev/null
"$BIN" demo > /dev/null
clone_incidents_pg "$DATABASE_URL" "$COUNT"
q -c "VACUUM ANALYZE incidents"
echo "own incidents: $(q -c 'select count(*) from incidents')"

P=http://127.0.0.1:$PORT
for layout in shared separate; do
  if [ $layout = shared ]; then pin_postgres 0-1; app=0-1; else pin_postgres 1; app=0; fi
  taskset -c "$app" "$BIN" serve --port "$PORT" > "$WORK/server.log" 2>&1 &
  SERVER=$!
  until curl -sf "$P/health" > /dev/null; do sleep 0.05; done
  J=$WORK/jar
  COOKIE=$(session_cookie "$P" "$J" heops@demo.bearing.test bearing-demo-heops)
  pin_postgres "$([ $layout = shared ] && echo 0-1 || echo 1)"  # the backends the sign-in opened
  echo; echo "$layout: PostgreSQL on cores $([ $layout = shared ] && echo 0-1 || echo 1), bearing serve and wrk on cores $app"
  for p in /bearing.css /operations/SDN-DEMO/incidents /operations/SDN-DEMO; do
    curl -s -b "$J" -o /dev/null "$P$p"
    printf '  %s: ' "$p"
    taskset -c "$app" wrk -t2 -c32 -d10s --latency -H "Cookie: $COOKIE" "$P$p" | awk '
      /Requests\/sec/ {r=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print r " req/s, p50 " p50 ", p99 " p99}'
  done
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
done
