#!/usr/bin/env bash
# Flow analysis over COUNT generated tallies (default 1,000,000) at the demo's three points over a
# year (BENCHMARKS.md): the analysis page for a month and for the whole year (days, weeks), its
# two main queries on their own, and the flow export. SQLite by default; with PG_URL set, on a fresh
# PostgreSQL database named bearing_bench. Usage, after `swift build -c release --product bearing`:
#   [PG_URL=postgres://postgres@127.0.0.1:5434/postgres] bash Scripts/bench-flows.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-1000000}
BIN=${BIN:-$(pwd)/.build/release/bearing}
PORT=${PORT:-8772}
WORK=$(mktemp -d); echo "work folder: $WORK" >&2
export BEARING_DATA_DIR=$WORK/data
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
if [ -n "${PG_URL:-}" ]; then
  export DATABASE_URL="${PG_URL%/*}/bearing_bench"
  psql "$PG_URL" -v ON_ERROR_STOP=1 -q -c "DROP DATABASE IF EXISTS bearing_bench" -c "CREATE DATABASE bearing_bench" 2>/dev/null
  "$BIN" migrate > /dev/null
  DB="PostgreSQL $(psql "$DATABASE_URL" -qAt -c 'show server_version')"
else
  DB="SQLite"
fi
echo "## flow analysis, $DB, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), commit $(git rev-parse --short HEAD)"
"$BIN" demo > /dev/null
START=$(date +%s)
if [ -n "${PG_URL:-}" ]; then
  psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q <<SQL
INSERT INTO flow_observations (id, operation_id, point_id, window_start, window_end, direction, total, scheme, bins, nationality, origin_country,
  origin_area, last_transit, next_destination, final_destination, transport, vulnerable, reasons, notes, created_by, created_at,
  c_f_18_59, c_m_18_59, c_f_0_4, v_uasc)
SELECT gen_random_uuid(), p.operation_id, p.site_id, t.start, t.start + interval '1 hour',
  (ARRAY['incoming','outgoing','transit'])[1 + g % 3], 1 + (g::bigint * 7919) % 60, 'unhcr',
  '{"f_18_59":' || (g % 7) || ',"m_18_59":' || (g % 5) || ',"f_0_4":1}',
  (ARRAY['SDN','SSD','ETH','ERI','TCD','EGY','LBY','CAF','SOM','YEM'])[1 + g % 10], (ARRAY['SDN','SSD','ETH','ERI','TCD','EGY','LBY','CAF','SOM','YEM'])[1 + (g / 7) % 10],
  NULL, NULL, NULL, (ARRAY['Cairo','Aswan','Gondar','Juba','Kosti','Tripoli','Addis Ababa','Port Sudan','Kassala','Renk'])[1 + (g / 3) % 10],
  'bus', '{"uasc":' || (g % 3) || '}', 'conflict_violence', '', NULL, now(), g % 7, g % 5, 1, g % 3
FROM generate_series(1, $COUNT) g
CROSS JOIN LATERAL (SELECT now() - ((g::bigint * 104729) % 31536000) * interval '1 second' AS start) t
JOIN LATERAL (SELECT site_id, operation_id FROM flow_points ORDER BY site_id OFFSET g % 3 LIMIT 1) p ON true;
ANALYZE flow_observations;
SQL
else
  python3 - "$BEARING_DATA_DIR/bearing.sqlite" "$COUNT" <<'PY'
import random, sqlite3, sys, time, uuid
db, count = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
points = c.execute("select site_id, operation_id from flow_points order by site_id").fetchall()
countries = ['SDN','SSD','ETH','ERI','TCD','EGY','LBY','CAF','SOM','YEM']
places = ['Cairo','Aswan','Gondar','Juba','Kosti','Tripoli','Addis Ababa','Port Sudan','Kassala','Renk']
rng = random.Random(5); now = time.time(); rows = []
for g in range(count):
    site, op = points[g % len(points)]
    start = now - rng.uniform(0, 365 * 86400)
    rows.append((str(uuid.UUID(int=rng.getrandbits(128))).upper(), op, site, start, start + 3600, ('incoming','outgoing','transit')[g % 3],
                 1 + rng.randrange(60), 'unhcr', '{"f_18_59":%d,"m_18_59":%d,"f_0_4":1}' % (g % 7, g % 5), countries[g % 10], countries[(g // 7) % 10],
                 places[(g // 3) % 10], 'bus', '{"uasc":%d}' % (g % 3), 'conflict_violence', '', now, g % 7, g % 5, 1, g % 3))
    if len(rows) == 50000:
        c.executemany("insert into flow_observations (id, operation_id, point_id, window_start, window_end, direction, total, scheme, bins, nationality, origin_country, final_destination, transport, vulnerable, reasons, notes, created_at, c_f_18_59, c_m_18_59, c_f_0_4, v_uasc) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows); rows = []
if rows: c.executemany("insert into flow_observations (id, operation_id, point_id, window_start, window_end, direction, total, scheme, bins, nationality, origin_country, final_destination, transport, vulnerable, reasons, notes, created_at, c_f_18_59, c_m_18_59, c_f_0_4, v_uasc) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
c.commit(); c.execute("analyze"); c.commit()
PY
fi
echo "generated $COUNT tallies in $(( $(date +%s) - START )) s"
# Written straight into the table, so the per-day summaries are summed here, as migration 0027 does.
/usr/bin/time -f "  max RSS %M KB" "$BIN" maintenance rebuild-flow-summaries 2>&1 | sed 's/^/  /'

"$BIN" serve --port "$PORT" > "$WORK/server.log" 2>&1 &
SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.05; done
J=$WORK/jar
csrf=$(curl -s -c "$J" -b "$J" "http://127.0.0.1:$PORT/sign-in" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$J" -b "$J" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode email=migration@demo.bearing.test \
  --data-urlencode password=bearing-demo-migration "http://127.0.0.1:$PORT/sign-in"
TODAY=$(date -u +%Y-%m-%d); MONTH=$(date -u -d '-30 days' +%Y-%m-%d); YEAR=$(date -u -d '-365 days' +%Y-%m-%d)
echo; echo "the analysis page (one request at a time, 5 runs, curl time_total, seconds):"
for q in "from=$MONTH&to=$TODAY" "from=$YEAR&to=$TODAY" "from=$YEAR&to=$TODAY&period=week"; do
  times=$(for i in 1 2 3 4 5; do curl -s -b "$J" -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$PORT/operations/SDN-DEMO/flows/analysis?$q"; done | sort -n | paste -sd' ')
  printf '  %s: %s (%s bytes)\n' "$q" "$times" "$(curl -s -b "$J" -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT/operations/SDN-DEMO/flows/analysis?$q")"
done
echo; echo "the flow map alone (map.svg, 5 runs, seconds):"
for q in "from=$MONTH&to=$TODAY" "from=$YEAR&to=$TODAY"; do
  times=$(for i in 1 2 3 4 5; do curl -s -b "$J" -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$PORT/operations/SDN-DEMO/flows/map.svg?$q"; done | sort -n | paste -sd' ')
  printf '  %s: %s (%s bytes)\n' "$q" "$times" "$(curl -s -b "$J" -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT/operations/SDN-DEMO/flows/map.svg?$q")"
done
echo; echo "the CSV export of every tally (whole request):"
curl -s -b "$J" -o "$WORK/flows.csv" -w '  %{time_total} s, %{size_download} bytes\n' "http://127.0.0.1:$PORT/operations/SDN-DEMO/flows/export?format=csv"
