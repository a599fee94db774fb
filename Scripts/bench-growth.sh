#!/usr/bin/env bash
# How cost grows with the table (BENCHMARKS.md, issue 22 point 5): the incidents list, the dashboard,
# the incident analysis and the incident map with SIZE own incidents and SIZE published (ACLED-shaped)
# events, for each SIZE (default 10,000, 100,000 and 1,000,000). SQLite, release build.
# - own incidents: the demo's cloned in bulk over three years, 1 in 50 not yet reported to the region;
# - published events: `make-acled.py SIZE --recent 10000`: the same 10,000 events from 2016 on at every
#   size, the rest before 2016. So a period from 2016 holds the same events whatever the table's size,
#   and the analysis and map should cost the same at every size, more for a longer period.
# List and dashboard: 32 clients, 2 threads, 10 s (wrk), beside a static route in the same run.
# Analysis and map: 5 requests one after the other, the median.
# Usage, after `swift build -c release --product bearing`, nothing else running:
#   bash Scripts/bench-growth.sh [SIZES...]
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/bench-lib.sh
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 100000 1000000)
BIN=${BIN:-$(pwd)/.build/release/bearing}
PORT=${PORT:-8769}
WORK=$(mktemp -d); echo "work folder: $WORK" >&2
export BEARING_DATA_DIR=$WORK/data
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
P=http://127.0.0.1:$PORT
echo "## growth, SQLite, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), commit $(git rev-parse --short HEAD)"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { for i in 1 2 3 4 5; do curl -s -b "$J" -o /dev/null -w '%{time_total}\n' "$P$1"; done | median; }
load() {  # path → "req/s p50 p99"
  wrk -t2 -c32 -d10s --latency -H "Cookie: $COOKIE" "$P$1" | awk '
    /Requests\/sec/ {r=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print r, p50, p99}'
}
printf '| size | static route req/s | list req/s, p50, p99 | dashboard req/s, p50, p99 | dashboard, first view | analysis 1 year | analysis 10 years | map 1 year | map 10 years |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for SIZE in "${SIZES[@]}"; do
  rm -rf "$BEARING_DATA_DIR"
  "$BIN" demo > /dev/null
  clone_incidents_sqlite "$BEARING_DATA_DIR/bearing.sqlite" "$SIZE" > /dev/null
  python3 Scripts/make-acled.py "$SIZE" --recent 10000 > "$WORK/acled.csv"
  "$BIN" import incidents --format acled "$WORK/acled.csv" --operation SDN-DEMO > "$WORK/import.log"
  "$BIN" serve --port "$PORT" > "$WORK/server.log" 2>&1 &
  SERVER=$!
  until curl -sf "$P/health" > /dev/null; do sleep 0.05; done
  J=$WORK/jar
  COOKIE=$(session_cookie "$P" "$J" heops@demo.bearing.test bearing-demo-heops)
  year="source=acled&from=2024-01-01&to=2024-12-31"
  decade="source=acled&from=2016-01-01&to=2025-12-31"
  # Warm the page cache and the server once, as a coordinator's second visit would find them. The
  # dashboard's first view is timed: it reads the early warnings' half year, which later views reuse
  # for a minute (EarlyWarningCache), so a 10 s run would otherwise hold that read or not by chance.
  for u in "/operations/SDN-DEMO/incidents/analysis?$decade&period=month" "/operations/SDN-DEMO/incidents/map?$decade"; do
    curl -s -b "$J" -o /dev/null "$P$u"
  done
  first=$(curl -s -b "$J" -o /dev/null -w '%{time_total}' "$P/operations/SDN-DEMO")
  static=$(load /bearing.css | cut -d' ' -f1)
  list=$(load /operations/SDN-DEMO/incidents)
  dash=$(load /operations/SDN-DEMO)
  a1=$(timed "/operations/SDN-DEMO/incidents/analysis?$year&period=week")
  a10=$(timed "/operations/SDN-DEMO/incidents/analysis?$decade&period=month")
  m1=$(timed "/operations/SDN-DEMO/incidents/map?$year")
  m10=$(timed "/operations/SDN-DEMO/incidents/map?$decade")
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  events=$(sqlite3 "$BEARING_DATA_DIR/bearing.sqlite" "select count(*) from context_events")
  incidents=$(sqlite3 "$BEARING_DATA_DIR/bearing.sqlite" "select count(*) from incidents")
  ms() { python3 -c "print(f'{float(\"$1\") * 1000:.0f} ms')"; }
  printf '| %s incidents, %s events | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$incidents" "$events" "$static" \
    "$(echo "$list" | awk '{print $1", "$2", "$3}')" "$(echo "$dash" | awk '{print $1", "$2", "$3}')" "$(ms "$first")" \
    "$(ms "$a1")" "$(ms "$a10")" "$(ms "$m1")" "$(ms "$m10")"
done
