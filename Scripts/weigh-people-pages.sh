#!/usr/bin/env bash
# The duty-of-care pages' weights at the demo's size (40 people), raw and gzip, as the Security
# Coordinator sees them (BENCHMARKS.md). Usage, after `swift build`: bash Scripts/weigh-people-pages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$(pwd)/.build/debug/bearing}
PORT=${PORT:-8772}
WORK=$(mktemp -d)
BEARING_DATA_DIR=$WORK "$BIN" serve --demo --port "$PORT" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.2; done
J=$WORK/jar
csrf=$(curl -s -c "$J" -b "$J" "http://127.0.0.1:$PORT/sign-in" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$J" -b "$J" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode email=security@demo.bearing.test \
  --data-urlencode password=bearing-demo-security "http://127.0.0.1:$PORT/sign-in"
echo "## duty-of-care pages at the demo's size, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD)"
for p in people people/contacts people/headcount people/readiness people/sessions "people/relocation?area=SD11" \
  movements movements/new people/me; do
  body=$(curl -s -b "$J" "http://127.0.0.1:$PORT/operations/SDN-DEMO/$p")
  printf '  %-28s %7s bytes, gzip %6s\n' "$p" "$(printf '%s' "$body" | wc -c)" "$(printf '%s' "$body" | gzip -c | wc -c)"
done
