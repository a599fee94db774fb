#!/usr/bin/env bash
# Concurrent writes on SQLite with the job worker running (BENCHMARKS.md, issue 17): a demo server on
# a fresh SQLite folder, then N alerts sent at once through the API (each a write transaction that
# reads before it writes, beside the worker delivering the earlier ones). Prints how many answered
# what: every one must be 201; before write transactions took SQLite's lock at their start, about
# half answered 500 "database is locked".
# Usage, after `swift build` (or BIN=.build/release/bearing): bash Scripts/concurrent-alerts.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-40}
BIN=${BIN:-$(pwd)/.build/debug/bearing}
PORT=${PORT:-8771}
DATA=$(mktemp -d)
BEARING_DATA_DIR=$DATA "$BIN" serve --demo --port "$PORT" >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 0.5; done
TOKEN=$(python3 .ci/api_token.py "http://127.0.0.1:$PORT" security@demo.bearing.test bearing-demo-security)
echo "## $N alerts at once, SQLite, worker on, commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%d)"
for _ in $(seq 1 "$N"); do
  curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"severity":"extreme","texts":[{"language":"en","title":"Drill"}],"channels":["email","sms"],"category":"other","everyone":true}' \
    "http://127.0.0.1:$PORT/api/v1/operations/SDN-DEMO/alerts" &
done | sort | uniq -c
echo "\"database is locked\" in the server's log: $(grep -c 'locked' "$DATA/server.log" || true)"
