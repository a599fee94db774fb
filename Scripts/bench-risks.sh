#!/usr/bin/env bash
# The risk register with RISKS risks and EDITS edits (each a version: 500 + 4,500 = 5,000 history
# entries by default), written through the forms: the register page and the "what changed" view
# under 32 concurrent clients, and the time to generate an issued report. SQLite by default; with
# PG_URL set, on a fresh PostgreSQL database named bearing_bench. Usage, after
# `swift build -c release --product bearing`, nothing else running:
#   [PG_URL=postgres://postgres@127.0.0.1:5434/postgres] bash Scripts/bench-risks.sh [RISKS] [EDITS]
set -euo pipefail
cd "$(dirname "$0")/.."
RISKS=${1:-500}
EDITS=${2:-4500}
BIN=${BIN:-$(pwd)/.build/release/bearing}
PORT=${PORT:-8769}
WORK=$(mktemp -d); echo "work folder: $WORK" >&2
export BEARING_DATA_DIR=$WORK/data
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
if [ -n "${PG_URL:-}" ]; then
  export DATABASE_URL="${PG_URL%/*}/bearing_bench"
  psql "$PG_URL" -v ON_ERROR_STOP=1 -q -c "DROP DATABASE IF EXISTS bearing_bench" -c "CREATE DATABASE bearing_bench"
  "$BIN" migrate > /dev/null
  DB="PostgreSQL $(psql "$DATABASE_URL" -qAt -c 'show server_version')"
else
  DB="SQLite"
fi
echo "## risk register, $DB, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), commit $(git rev-parse --short HEAD)"
"$BIN" demo > /dev/null
"$BIN" serve --port "$PORT" > "$WORK/server.log" 2>&1 &
SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.05; done
SINCE=$(python3 Scripts/bench-risks.py "http://127.0.0.1:$PORT" "$RISKS" "$EDITS")
J=$WORK/jar
csrf=$(curl -s -c "$J" -b "$J" "http://127.0.0.1:$PORT/sign-in" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$J" -b "$J" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode email=heops@demo.bearing.test \
  --data-urlencode password=bearing-demo-heops "http://127.0.0.1:$PORT/sign-in"
COOKIE="bearing-session=$(awk '$6=="bearing-session"{print $7}' "$J")"
# Issue a report over the second half of the edits, as the HeOps' coordinator would.
csrf=$(curl -s -b "$J" "http://127.0.0.1:$PORT/operations/SDN-DEMO/risks/changes" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
REPORT=$(curl -s -b "$J" -o /dev/null -w '%{redirect_url}' --data-urlencode "_csrf=$csrf" --data-urlencode "since=$SINCE" \
  --data-urlencode "recommendations=Benchmark report." "http://127.0.0.1:$PORT/operations/SDN-DEMO/risks/reports")
REPORT=${REPORT#http://127.0.0.1:$PORT}
[ -n "$REPORT" ] || { echo "the report was not issued (the HeOps is not a security role? see $WORK/server.log)"; exit 1; }
echo
echo "what the pages read: $RISKS + 8 demo risks, their versions since $SINCE UTC, the report at $REPORT"
echo; echo "report generation (one request at a time, 20 runs, curl time_total):"
for path in "$REPORT" "/operations/SDN-DEMO/risks/changes?since=$SINCE"; do
  times=$(for i in $(seq 20); do curl -s -b "$J" -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$PORT$path"; done | sort -n)
  printf '  %s: median %s s, max %s s, %s bytes\n' "${path%%\?*}" "$(echo "$times" | sed -n 10p)" "$(echo "$times" | tail -1)" \
    "$(curl -s -b "$J" -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT$path")"
done
echo; echo "32 concurrent clients, 2 threads, 15 s each (wrk --latency), signed in as the HeOps:"
for p in /operations/SDN-DEMO/risks "/operations/SDN-DEMO/risks/changes?since=$SINCE" "$REPORT"; do
  printf '  %s: %s bytes\n' "${p%%\?*}" "$(curl -s -b "$J" -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT$p")"
  wrk -t2 -c32 -d15s --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$p" | grep -E 'Requests/sec|^ +(50|90|99)%' | sed 's/^/    /'
done
