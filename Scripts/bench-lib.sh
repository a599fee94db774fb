# Shared by the benchmark scripts (sourced, not run): own incidents cloned in bulk, and a signed-in
# session for wrk.

# The demo's incidents cloned to COUNT in all with new ids, numbers and dates over three years; 1 in
# 50 not yet reported to the region, as in a busy operation. A benchmark needs volume, not audit entries.
# SQLite: clone_incidents_sqlite DATABASE_FILE COUNT
clone_incidents_sqlite() {
  python3 - "$1" "$2" <<'PY'
import random, sqlite3, sys, time, uuid
db, count = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
columns = [r[1] for r in c.execute("pragma table_info(incidents)")]
templates = c.execute("select * from incidents").fetchall()
start = c.execute("select max(number) from incidents").fetchone()[0]
now, rng = time.time(), random.Random(7)
rows = []
for i in range(count - len(templates)):
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
}

# PostgreSQL, COUNT more clones: clone_incidents_pg DATABASE_URL COUNT
clone_incidents_pg() {
  local url=$1 count=$2 cols names=() exprs=()
  local when="(now() - ((g.i * 7919) % 1000003)::float8 / 1000003 * interval '3 years')"
  cols=$(psql "$url" -qAt -c "select column_name from information_schema.columns where table_name = 'incidents' order by ordinal_position")
  for c in $cols; do
    names+=("\"$c\"")
    case $c in
      id) exprs+=("gen_random_uuid()") ;;
      number) exprs+=("s.start + g.i + 1") ;;
      occurred_at|known_at|created_at|updated_at|status_changed_at) exprs+=("$when") ;;
      reported_to_region_at) exprs+=("CASE WHEN g.i % 50 = 0 THEN NULL ELSE $when + interval '1 hour' END") ;;
      *) exprs+=("t.\"$c\"") ;;
    esac
  done
  psql "$url" -v ON_ERROR_STOP=1 -qAt -c "INSERT INTO incidents ($(IFS=,; echo "${names[*]}"))
    SELECT $(IFS=,; echo "${exprs[*]}") FROM generate_series(0, $count - 1) g(i)
    CROSS JOIN (SELECT max(number) AS start FROM incidents) s
    JOIN (SELECT *, row_number() OVER (ORDER BY number) - 1 AS k, count(*) OVER () AS c FROM incidents) t ON t.k = g.i % t.c"
}

# Signs in on the server at BASE as EMAIL with PASSWORD, keeping the cookies in JAR; prints the
# session cookie as wrk's -H wants it. session_cookie BASE JAR EMAIL PASSWORD
session_cookie() {
  local csrf
  rm -f "$2"
  csrf=$(curl -s -c "$2" -b "$2" "$1/sign-in" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
  curl -s -c "$2" -b "$2" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "email=$3" \
    --data-urlencode "password=$4" "$1/sign-in"
  echo "bearing-session=$(awk '$6=="bearing-session"{print $7}' "$2")"
}
