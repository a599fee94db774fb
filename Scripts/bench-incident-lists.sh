#!/usr/bin/env bash
# The incidents list and the dashboard with 100,000 own incidents under 32 concurrent clients
# (BENCHMARKS.md). SQLite. Usage, after `swift build -c release --product bearing`, nothing else running:
#   bash Scripts/bench-incident-lists.sh [COUNT]
# The demo's incidents are cloned in bulk with new ids, numbers and dates (a benchmark needs volume,
# not audit entries); 1 in 50 is left unreported to the region, as in a busy operation.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/bench-lib.sh
COUNT=${1:-100000}
BIN=${BIN:-$(pwd)/.build/release/bearing}
PORT=${PORT:-8767}
WORK=$(mktemp -d); echo "work folder: $WORK" >&2
export BEARING_DATA_DIR=$WORK/data
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "## incident lists, SQLite, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), commit $(git rev-parse --short HEAD)"
"$BIN" demo > /dev/null
clone_incidents_sqlite "$BEARING_DATA_DIR/bearing.sqlite" "$COUNT"
"$BIN" serve --port "$PORT" > "$WORK/server.log" 2>&1 &
SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.05; done
J=$WORK/jar
csrf=$(curl -s -c "$J" -b "$J" "http://127.0.0.1:$PORT/sign-in" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$J" -b "$J" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode email=heops@demo.bearing.test \
  --data-urlencode password=bearing-demo-heops "http://127.0.0.1:$PORT/sign-in"
COOKIE="bearing-session=$(awk '$6=="bearing-session"{print $7}' "$J")"
echo; echo "32 concurrent clients, 2 threads, 15 s each (wrk --latency), signed in as the HeOps:"
# /bearing.css: a static route, the floor this machine gives in the same run.
for p in /bearing.css /operations/SDN-DEMO/incidents /operations/SDN-DEMO; do
  printf '  %s: %s bytes\n' "$p" "$(curl -s -b "$J" -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT$p")"
  wrk -t2 -c32 -d15s --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$p" | grep -E 'Requests/sec|^ +(50|90|99)%' | sed 's/^/    /'
done
