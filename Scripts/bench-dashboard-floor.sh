#!/usr/bin/env bash
# The dashboard beside the engine's own floor (BENCHMARKS.md, issue 22 point 3), SQLite, release build.
# With SIZE own incidents (the demo's, cloned as bench-growth.sh does), signed in as the HeOps:
# 1. one dashboard view on a server at BEARING_LOG_LEVEL=debug, whose statements
#    `bench-dashboard-floor.py` then runs on the same file from Python's sqlite3, prepared anew for
#    each statement (as SQLiteNIO does) and prepared once and reused: SQLite's own time for a view;
# 2. the dashboard under 32 clients (wrk, 2 threads, 10 s) on a server at the default log level, with
#    the server's CPU time per view (/proc: user + system over the run, divided by the views served),
#    beside the static route in the same run.
# The incident list the same way, in the same run: a page of three statements that meets the budget,
# the other point of the line that says what a statement costs.
# Usage, after `swift build -c release --product bearing`, nothing else running:
#   bash Scripts/bench-dashboard-floor.sh [SIZE]
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/bench-lib.sh
SIZE=${1:-100000}
BIN=${BIN:-$(pwd)/.build/release/bearing}
PORT=${PORT:-8769}
WORK=$(mktemp -d); echo "work folder: $WORK" >&2
export BEARING_DATA_DIR=$WORK/data
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
P=http://127.0.0.1:$PORT
DASH=/operations/SDN-DEMO
LIST=/operations/SDN-DEMO/incidents
"$BIN" demo > /dev/null
clone_incidents_sqlite "$BEARING_DATA_DIR/bearing.sqlite" "$SIZE" > /dev/null
start() {
  env "$@" "$BIN" serve --port "$PORT" > "$WORK/server.log" 2>&1 &
  SERVER=$!
  until curl -sf "$P/health" > /dev/null; do sleep 0.05; done
  COOKIE=$(session_cookie "$P" "$WORK/jar" heops@demo.bearing.test bearing-demo-heops)
  for page in "$DASH" "$LIST"; do curl -s -b "$WORK/jar" -o /dev/null "$P$page"; done  # warm the caches, as a second visit finds them
}
stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=; }
ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }

start BEARING_LOG_LEVEL=debug
floors=()
for page in "$DASH" "$LIST"; do
  : > "$WORK/server.log"
  curl -s -b "$WORK/jar" -o /dev/null "$P$page"
  sleep 0.5
  cp "$WORK/server.log" "$WORK/view.log"
  floors+=("$(python3 Scripts/bench-dashboard-floor.py "$WORK/view.log" "$BEARING_DATA_DIR/bearing.sqlite")")
done
stop

start X=1
load() {  # path → "req/s p50 p99 requests"
  wrk -t2 -c32 -d10s --latency -H "Cookie: $COOKIE" "$P$1" | awk '
    /Requests\/sec/ {r=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} / requests in / {n=$1} END {print r, p50, p99, n}'
}
hz=$(getconf CLK_TCK)
static=$(load /bearing.css)
rows=()
for i in 0 1; do
  page=$([ $i = 0 ] && echo "$DASH" || echo "$LIST")
  before=$(ticks)
  result=$(load "$page")
  after=$(ticks)
  views=$(echo "$result" | cut -d' ' -f4)
  cpu=$(python3 -c "print(f'{($after - $before) / $hz * 1000 / $views:.2f}')")
  floor=${floors[$i]}
  rows+=("| $page | $(echo "$result" | awk '{print $1" req/s, "$2", "$3}') | $cpu ms | $(echo "$floor" | sed -n 1p) | $(echo "$floor" | sed -n 2p | cut -f1) ms | $(echo "$floor" | sed -n 2p | cut -f2) ms |")
done
stop
echo "## the dashboard and the incident list beside the engine's floor, SQLite, $SIZE incidents, $(date -u +%Y-%m-%d), $(nproc) cores, commit $(git rev-parse --short HEAD)"
echo
echo "Static route in the same run: $(echo "$static" | cut -d' ' -f1) req/s."
echo
echo "| page | req/s, p50, p99 | server CPU per view | statements per view | SQLite per view, prepared anew | SQLite per view, prepared once |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "The dashboard's dearest statements (prepared anew, median):"
echo "${floors[0]}" | sed -n '3,$p' | sed 's/^/- /'
