#!/usr/bin/env bash
# The incidents list and the dashboard with 100,000 own incidents under 32 concurrent clients
# (BENCHMARKS.md). SQLite. Usage, after `swift build -c release --product bearing`, nothing else running:
#   bash Scripts/bench-incident-lists.sh [COUNT]
# The demo's incidents are cloned in bulk with new ids, numbers and dates (a benchmark needs volume,
# not audit entries); 1 in 50 is left unreported to the region, as in a busy operation.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-100000}
BIN=${BIN:-$(pwd)/.build/release/bearing}
PORT=${PORT:-8767}
WORK=$(mktemp -d); echo "work folder: $WORK" >&2
export BEARING_DATA_DIR=$WORK/data
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "## incident lists, SQLite, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), commit $(git rev-parse --short HEAD)"
"$BIN" demo > /dev/null
python3 - "$BEARING_DATA_DIR/bearing.sqlite" "$COUNT" <<'PY'
import random, sqlite3, sys, time, uuid
db, count = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
columns = [r[1] for r in c.execute("pragma table_info(incidents)")]
templates = c.execute("select * from incidents").fetchall()
start = c.execute("select max(number) from incidents").fetchone()[0]
now = time.time()
rng = random.Random(7)
rows = []
for i in range(count):
    row = list(templates[i % len(templates)])
    row[columns.index("id")] = str(uuid.UUID(int=rng.getrandbits(128))).upper()
    row[columns.index("number")] = start + i + 1
    when = now - rng.uniform(0, 3 * 365 * 86400)
    for name in ("occurred_at", "known_at", "created_at", "updated_at", "status_changed_at"):
        row[columns.index(name)] = when
    row[columns.index("reported_to_region_at")] = None if i % 50 == 0 else when + 3600
    rows.append(row)
c.executemany(f"insert into incidents ({','.join(columns)}) values ({','.join('?' * len(columns))})", rows)
c.commit()
print(f"incidents: {c.execute('select count(*) from incidents').fetchone()[0]}")
PY
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
