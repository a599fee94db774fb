#!/usr/bin/env bash
# The duty-of-care pages under load (BENCHMARKS.md, issue 16): the 24/7 list, the headcount and the
# movement board with PEOPLE people, LOCATIONS location updates and MOVEMENTS movements in progress,
# 32 concurrent clients, beside a static route measured in the same run (this machine's floor).
# Usage, after `swift build -c release --product bearing`, nothing else running:
#   bash Scripts/bench-people.sh [PEOPLE] [LOCATIONS] [MOVEMENTS]                  # SQLite
#   PG_URL=postgres://postgres@127.0.0.1:5433/postgres bash Scripts/bench-people.sh  # PostgreSQL
# The rows are written in bulk below the app (a benchmark needs volume, not audit entries); every
# page view still writes its own audit entry of who looked at whom, as in production.
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-2000}
LOCATIONS=${2:-100000}
MOVEMENTS=${3:-500}
BIN=${BIN:-$(pwd)/.build/release/bearing}
PORT=${PORT:-8769}
WORK=$(mktemp -d); echo "work folder: $WORK" >&2
export BEARING_DATA_DIR=$WORK/data
ENGINE=SQLite
if [ -n "${PG_URL:-}" ]; then
  ENGINE=PostgreSQL
  export DATABASE_URL="${PG_URL%/*}/bearing_bench_people"
  psql "$PG_URL" -v ON_ERROR_STOP=1 -q -c "DROP DATABASE IF EXISTS bearing_bench_people" -c "CREATE DATABASE bearing_bench_people"
  "$BIN" migrate > /dev/null
fi
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "## duty of care, $ENGINE, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), commit $(git rev-parse --short HEAD)"
"$BIN" demo > /dev/null
python3 - "$ENGINE" "$BEARING_DATA_DIR/bearing.sqlite" "${DATABASE_URL:-}" "$PEOPLE" "$LOCATIONS" "$MOVEMENTS" "$WORK" <<'PY'
import csv, datetime, json, os, random, sqlite3, subprocess, sys, time, uuid
engine, path, url, people, locations, movements, work = sys.argv[1], sys.argv[2], sys.argv[3], *map(int, sys.argv[4:7]), sys.argv[7]
rng = random.Random(16)
now = time.time()
def uid(): return str(uuid.UUID(int=rng.getrandbits(128))).upper()

if engine == "SQLite":
    db = sqlite3.connect(path)
    query = lambda sql: db.execute(sql).fetchall()
else:
    def query(sql):
        out = subprocess.run(["psql", url, "-qAt", "-F", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]
op = query("select id from operations where code = 'SDN-DEMO'")[0][0]
sites = [(r[0], r[1]) for r in query(f"select id, area_pcode from sites where operation_id = '{op}' and area_pcode is not null")]
creator = query("select id from users where email = 'security@demo.bearing.test'")[0][0]
rows = {"people": [], "person_locations": [], "movements": [], "movement_passengers": [], "movement_check_ins": []}
ids = []
for i in range(people):
    pid = uid(); ids.append(pid)
    site, area = sites[i % len(sites)]
    confirmed = now - rng.uniform(0, 48 * 3600)
    rows["people"].append({
        "id": pid, "operation_id": op, "full_name": f"Bench Person {i:05d}", "category": "delegate" if i % 3 else "ns_volunteer",
        "organisation": "IFRC", "job_function": "Field officer", "origin": "international" if i % 3 else "national",
        "languages": "Arabic\nEnglish", "phones": json.dumps([{"e164": f"+2499{12000000 + i}", "kind": "mobile", "text": f"09{12000000 + i}"}], separators=(",", ":")),
        "radio_call_sign": f"BRAVO {i}", "email": f"bench{i}@example.org", "emergency_contact_name": "Family",
        "relocation_group": f"Group {i % 12}", "manages_team": i % 10 == 0,
        "location_kind": "site", "location_site_id": site, "location_area_pcode": area, "location_confirmed_at": confirmed,
        "location_source": "radio_room", "location_note": "", "created_at": now, "created_by": creator, "updated_at": now})
for i in range(locations):
    site, area = sites[i % len(sites)]
    rows["person_locations"].append({
        "id": uid(), "person_id": ids[i % people], "operation_id": op, "kind": "site", "site_id": site, "area_pcode": area,
        "confirmed_at": now - rng.uniform(0, 90 * 86400), "source": "self", "note": ""})
start = int(query(f"select coalesce(max(number), 0) from movements where operation_id = '{op}'")[0][0])
for i in range(movements):
    mid = uid()
    (a, _), (b, area) = sites[i % len(sites)], sites[(i + 3) % len(sites)]
    departed = now - rng.uniform(0, 6 * 3600)
    rows["movements"].append({
        "id": mid, "operation_id": op, "number": start + i + 1, "purpose": f"Bench movement {i}", "vehicles": "Land Cruiser",
        "route": json.dumps([{"kind": "site", "site_id": a}, {"kind": "site", "site_id": b}], separators=(",", ":")), "route_areas": area,
        "departure_at": departed, "expected_arrival_at": departed + rng.uniform(1, 8) * 3600, "radio_channel": "VHF 4",
        "satellite_phone": "", "status": "underway", "required_approvals": "", "refusals": "[]", "requested_by": creator,
        "requested_at": departed - 3600, "updated_at": departed})
    for k in range(3):
        rows["movement_passengers"].append({"movement_id": mid, "person_id": ids[(i * 3 + k) % people]})
    rows["movement_check_ins"].append({
        "id": uid(), "movement_id": mid, "kind": "departed", "at": departed, "recorded_by": creator, "source": "radio_room", "note": ""})

if engine == "SQLite":
    for table, items in rows.items():
        cols = list(items[0].keys())
        db.executemany(f"insert into {table} ({','.join(cols)}) values ({','.join('?' * len(cols))})",
                       [[r[c] for c in cols] for r in items])
    db.commit()
else:
    stamp = lambda v: datetime.datetime.fromtimestamp(v, datetime.timezone.utc).isoformat()
    for table, items in rows.items():
        cols = list(items[0].keys())
        file = os.path.join(work, table + ".csv")
        with open(file, "w", newline="") as f:
            w = csv.writer(f, quoting=csv.QUOTE_NONNUMERIC)  # "" is an empty string, an empty cell NULL
            for r in items:
                w.writerow([stamp(r[c]) if isinstance(r[c], float) and c not in ("latitude", "longitude") else r[c] for c in cols])
        subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c", f"\\copy {table} ({','.join(cols)}) from '{file}' csv"], check=True)
    subprocess.run(["psql", url, "-q", "-c", "ANALYZE"], check=True)
print(f"people: {people}, location updates: {locations}, movements in progress: {movements}")
PY
"$BIN" serve --port "$PORT" > "$WORK/server.log" 2>&1 &
SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.05; done
J=$WORK/jar
csrf=$(curl -s -c "$J" -b "$J" "http://127.0.0.1:$PORT/sign-in" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$J" -b "$J" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode email=security@demo.bearing.test \
  --data-urlencode password=bearing-demo-security "http://127.0.0.1:$PORT/sign-in"
COOKIE="bearing-session=$(awk '$6=="bearing-session"{print $7}' "$J")"
echo; echo "32 concurrent clients, 2 threads, 15 s each (wrk --latency), signed in as the Security Coordinator:"
# /bearing.css: a static route, the floor this machine gives in the same run.
for p in /bearing.css /operations/SDN-DEMO/people/contacts /operations/SDN-DEMO/people/headcount /operations/SDN-DEMO/movements; do
  printf '  %s: %s bytes (gzip %s)\n' "$p" "$(curl -s -b "$J" -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT$p")" \
    "$(curl -s -b "$J" "http://127.0.0.1:$PORT$p" | gzip -c | wc -c)"
  wrk -t2 -c32 -d15s --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$p" | grep -E 'Requests/sec|^ +(50|90|99)%' | sed 's/^/    /'
done
echo; echo "one client alone, 1 thread, 5 s each (wrk --latency): what one request costs without a queue:"
for p in /operations/SDN-DEMO/people/contacts /operations/SDN-DEMO/people/headcount /operations/SDN-DEMO/movements; do
  printf '  %s\n' "$p"
  wrk -t1 -c1 -d5s --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$p" | grep -E 'Requests/sec|^ +(50|99)%' | sed 's/^/    /'
done
audit="select count(*), max(length(changes)) from audit_log where record_kind = 'personnel_view'"
if [ "$ENGINE" = SQLite ]; then counts=$(sqlite3 "$BEARING_DATA_DIR/bearing.sqlite" "$audit"); else counts=$(psql "$DATABASE_URL" -qAt -c "$audit"); fi
echo; echo "audit entries written by the views (who looked at whom) | the largest, in characters: $counts"
