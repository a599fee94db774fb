#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md. Usage (from the repository root, after
# `swift build -c release --product bearing`):
#   bash Scripts/bench.sh                      # SQLite
#   DATABASE_URL=postgres://… bash Scripts/bench.sh   # PostgreSQL (an empty database)
# Needs curl, wrk and sqlite3 (Debian packages) and ../shared/data beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/bearing}
DATA=${BEARING_SHARED_DATA:-../shared/data}
PORT=${PORT:-8765}
WORK=$(mktemp -d); echo "work folder: $WORK" >&2
export BEARING_DATA_DIR=$WORK/data
DB_KIND=sqlite
[ -n "${DATABASE_URL:-}" ] && DB_KIND=postgres
ms() { date +%s%3N; }
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

SERVER=
start_server() {  # sets STARTUP_MS: milliseconds from launch until /health answers
  local t0; t0=$(ms)
  "$BIN" serve --port "$PORT" "$@" > "$WORK/server.log" 2>&1 &
  SERVER=$!
  until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.01; done
  STARTUP_MS=$(( $(ms) - t0 ))
}
stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=; }

echo "## $DB_KIND, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m)"
[ "$DB_KIND" = postgres ] && "$BIN" migrate > /dev/null
start_server; echo "cold start, empty database: $STARTUP_MS ms"; stop_server
"$BIN" demo > "$WORK/demo.txt"
start_server; echo "cold start, demo database: $STARTUP_MS ms"
echo "idle RSS after start: $(( $(grep VmRSS /proc/$SERVER/status | awk '{print $2}') / 1024 )) MB"

# Sign in as the HeOps of the demo operation.
JAR=$WORK/jar
csrf=$(curl -s -c "$JAR" -b "$JAR" "http://127.0.0.1:$PORT/sign-in" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$JAR" -b "$JAR" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode email=heops@demo.bearing.test \
  --data-urlencode password=bearing-demo-heops -w "sign-in: %{http_code} %{redirect_url}\n" "http://127.0.0.1:$PORT/sign-in" >&2
COOKIE="bearing-session=$(awk '$6=="bearing-session"{print $7}' "$JAR")"

echo; echo "page weights (bytes, HTML as served; the map is inline SVG where a page has one):"
curl -s -b "$JAR" -o "$WORK/sites.html" "http://127.0.0.1:$PORT/operations/SDN-DEMO/sites"
site=$(grep -o "/operations/SDN-DEMO/sites/[0-9A-F-]\{36\}" "$WORK/sites.html" | head -1 || { echo "sign-in failed? see $WORK/sites.html" >&2; exit 1; })
printf '  %-60s %s\n' "/sign-in (signed out)" "$(curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT/sign-in")"
# One incident, reported through the form, so that its pages can be weighed too.
csrf=$(curl -s -b "$JAR" "http://127.0.0.1:$PORT/operations/SDN-DEMO/incidents/new" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
incident=$(curl -s -b "$JAR" -o /dev/null -w '%{redirect_url}' --data-urlencode "_csrf=$csrf" --data-urlencode "title=Vehicle stopped at a checkpoint" \
  --data-urlencode category=harassment --data-urlencode subtype=intimidation --data-urlencode "occurred_at=$(date -u +%Y-%m-%dT%H:%M)" \
  --data-urlencode area_pcode=SD01 --data-urlencode audience=ifrc "http://127.0.0.1:$PORT/operations/SDN-DEMO/incidents" | sed "s|http://127.0.0.1:$PORT||")
[ -n "$incident" ] || { echo "reporting an incident failed" >&2; exit 1; }
for p in / /operations/SDN-DEMO /operations/SDN-DEMO/sites /operations/SDN-DEMO/sites/new "$site" /operations/SDN-DEMO/incidents /operations/SDN-DEMO/incidents/new "$incident" "$incident/edit" /operations/SDN-DEMO/boundaries /operations/SDN-DEMO/audit /account /admin/users /bearing.css /operations/SDN-DEMO/map.svg; do
  printf '  %-60s %s\n' "$p" "$(curl -s -b "$JAR" -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT$p")"
done
dash=$(curl -s -b "$JAR" "http://127.0.0.1:$PORT/operations/SDN-DEMO")
svg=$(printf '%s' "$dash" | grep -o '<svg.*</svg>' | wc -c || true)
echo "  dashboard without its inline map: $(( ${#dash} - svg )) characters"

echo; echo "32 concurrent clients, 2 threads, 15 s each (wrk --latency):"
for p in /operations/SDN-DEMO /operations/SDN-DEMO/sites; do
  echo "  $p"
  wrk -t2 -c32 -d15s --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$p" | grep -E 'Requests/sec|^ +(50|90|99)%' | sed 's/^/    /'
done

echo; echo "import of Sudan admin 2 (189 localities), after admin 0 and 1:"
"$BIN" operations create --code BENCH --name Bench --countries SDN --heops heops@demo.bearing.test > /dev/null
"$BIN" import boundaries "$DATA/boundaries/sdn/sdn_admin0.geojson" --operation BENCH > /dev/null
"$BIN" import boundaries "$DATA/boundaries/sdn/sdn_admin1.geojson" --operation BENCH > /dev/null
t0=$(ms); "$BIN" import boundaries "$DATA/boundaries/sdn/sdn_admin2.geojson" --operation BENCH > /dev/null
echo "  $(( $(ms) - t0 )) ms (whole command, including start-up)"

echo; echo "SVG map of Sudan admin 2 with 1,000 sites:"
# 1,000 sites inside Sudan, added through the API with a personal token of the HeOps.
csrf=$(curl -s -b "$JAR" "http://127.0.0.1:$PORT/account" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
TOKEN=$(curl -s -b "$JAR" --data-urlencode "_csrf=$csrf" --data-urlencode name=bench --data-urlencode days=1 "http://127.0.0.1:$PORT/account/tokens" | grep -o 'brg_[0-9a-f]*' | head -1)
python3 - "$PORT" "$TOKEN" <<'PY'
import json, random, sys, urllib.request
port, token = sys.argv[1], sys.argv[2]
random.seed(7)
types = ["office", "warehouse", "camp", "transit_centre", "flow_monitoring_point", "hsp", "checkpoint", "health_facility"]
for i in range(1000):
    body = json.dumps({"name": f"Bench site {i}", "type": types[i % len(types)], "audience": "ifrc",
                       "latitude": random.uniform(10.5, 21.5), "longitude": random.uniform(23.0, 36.5)}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/operations/BENCH/sites", body,
                                 {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
PY
# The first request renders; later ones with nothing changed come from the rendered-map cache.
for i in 1 2 3 4 5 6; do
  curl -s -b "$JAR" -o "$WORK/map.svg" -w '%{time_total} %{size_download}\n' "http://127.0.0.1:$PORT/operations/BENCH/map.svg"
done | awk 'NR==1 {printf "  first request (renders): %.0f ms, %d bytes\n", $1*1000, $2} NR>1 {t+=$1} END {printf "  later requests (cached): %.1f ms mean of %d\n", t/(NR-1)*1000, NR-1}'
