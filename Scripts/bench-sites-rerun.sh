#!/usr/bin/env bash
# The sites list of the demo under 32 clients, and the floor (GET /health) on the same server,
# alternating the two binaries, three rounds: p99 and req/s of each.
set -uo pipefail
cd "$(dirname "$0")/.."
PORT=8797
for round in 1 2 3; do
  for which in before after; do
    if [ $which = before ]; then BIN=${BEFORE:?set BEFORE to the older release binary}; else BIN=${AFTER:-.build/release/bearing}; fi
    WORK=$(mktemp -d); export BEARING_DATA_DIR=$WORK
    "$BIN" demo > /dev/null 2>&1
    "$BIN" serve --port $PORT > "$WORK/server.log" 2>&1 & S=$!
    until curl -sf http://127.0.0.1:$PORT/health >/dev/null; do sleep 0.05; done
    JAR=$WORK/jar
    csrf=$(curl -s -c "$JAR" -b "$JAR" "http://127.0.0.1:$PORT/sign-in" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
    curl -s -c "$JAR" -b "$JAR" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode email=heops@demo.bearing.test \
      --data-urlencode password=bearing-demo-heops "http://127.0.0.1:$PORT/sign-in"
    COOKIE="bearing-session=$(awk '$6=="bearing-session"{print $7}' "$JAR")"
    curl -s -o /dev/null -w "" -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/operations/SDN-DEMO/sites"
    s=$(wrk -t2 -c32 -d15s --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/operations/SDN-DEMO/sites" | awk '/^ +99%/{p=$2} /Requests\/sec/{r=$2} END{print p, r}')
    f=$(wrk -t2 -c32 -d15s --latency "http://127.0.0.1:$PORT/health" | awk '/^ +99%/{p=$2} /Requests\/sec/{r=$2} END{print p, r}')
    echo "round $round $which sites: $s floor: $f"
    kill $S; wait $S 2>/dev/null || true; rm -rf "$WORK"
  done
done
