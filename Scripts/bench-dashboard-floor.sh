#!/usr/bin/env bash
# The dashboard beside the engine's own floor (BENCHMARKS.md, issue 22 point 3), SQLite, release build.
# With SIZE own incidents (the demo's, cloned as bench-growth.sh does), signed in as the HeOps:
# 1. one dashboard view on a server at BEARING_LOG_LEVEL=debug, whose statements
#    `bench-dashboard-floor.py` then runs on the same file from Python's sqlite3, prepared anew for
#    each statement (as SQLiteNIO does) and prepared once and reused: SQLite's own time for a view;
# 2. the dashboard under 32 clients (wrk, 2 threads, 10 s) on a server at the default log level, with
#    the server's CPU time per view (/proc: user + system over the run, divided by the views served),
#    beside the static route in the same run.
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
"$BIN" demo > /dev/null
clone_incidents_sqlite "$BEARING_DATA_DIR/bearing.sqlite" "$SIZE" > /dev/null
start() {
  env "$@" "$BIN" serve --port "$PORT" > "$WORK/server.log" 2>&1 &
  SERVER=$!
  until curl -sf "$P/health" > /dev/null; do sleep 0.05; done
  COOKIE=$(session_cookie "$P" "$WORK/jar" heops@demo.bearing.test bearing-demo-heops)
  curl -s -b "$WORK/jar" -o /dev/null "$P$DASH"  # warm the caches, as a second visit finds them
}
stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=; }
ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }

start BEARING_LOG_LEVEL=debug
: > "$WORK/server.log"
curl -s -b "$WORK/jar" -o /dev/null "$P$DASH"
sleep 0.5
cp "$WORK/server.log" "$WORK/view.log"
stop
floor=$(python3 Scripts/bench-dashboard-floor.py "$WORK/view.log" "$BEARING_DATA_DIR/bearing.sqlite")

start X=1
load() {  # path → "req/s p50 p99 requests"
  wrk -t2 -c32 -d10s --latency -H "Cookie: $COOKIE" "$P$1" | awk '
    /Requests\/sec/ {r=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} / requests in / {n=$1} END {print r, p50, p99, n}'
}
static=$(load /bearing.css)
before=$(ticks)
dash=$(load "$DASH")
after=$(ticks)
stop
hz=$(getconf CLK_TCK)
views=$(echo "$dash" | cut -d' ' -f4)
cpu=$(python3 -c "print(f'{($after - $before) / $hz * 1000 / $views:.2f}')")
statements=$(echo "$floor" | sed -n 1p)
anew=$(echo "$floor" | sed -n 2p | cut -f1)
reused=$(echo "$floor" | sed -n 2p | cut -f2)
echo "## dashboard and the engine's floor, SQLite, $SIZE incidents, $(date -u +%Y-%m-%d), $(nproc) cores, commit $(git rev-parse --short HEAD)"
echo
echo "| static route | dashboard req/s, p50, p99 | server CPU per view | statements per view | SQLite per view, prepared anew | SQLite per view, prepared once |"
echo "|---|---|---|---|---|---|"
echo "| $(echo "$static" | cut -d' ' -f1) req/s | $(echo "$dash" | awk '{print $1", "$2", "$3}') | $cpu ms | $statements | $anew ms | $reused ms |"
echo
echo "The dearest statements (prepared anew, median):"
echo "$floor" | sed -n '3,$p' | sed 's/^/- /'
