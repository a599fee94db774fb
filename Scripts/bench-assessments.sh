#!/usr/bin/env bash
# Import of KoBo submissions into a needs assessment (issue 18, BENCHMARKS.md): a generated KoBo CSV
# export (";", the HXL row, group, sex, age, specific needs, priority needs, household size, a
# select_one, a free-text column, _uuid, _submission_time) of N submissions, and of N/10 to show
# memory flat; then its re-import (every submission already there). The floor is the engine's own
# load of the same rows in the same run: the sqlite3 shell's .import, or psql's \copy.
# SQLite by default; with PG_URL set, on a fresh PostgreSQL database named bearing_bench. Usage,
# after `swift build -c release --product bearing`:
#   [PG_URL=postgres://postgres@127.0.0.1:5434/postgres] bash Scripts/bench-assessments.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
BIN=${BIN:-$(pwd)/.build/release/bearing}
WORK=$(mktemp -d); echo "work folder: $WORK" >&2
export BEARING_DATA_DIR=$WORK/data
seconds() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }

python3 - "$N" "$WORK" <<'PY'
import random, sys
n, work = int(sys.argv[1]), sys.argv[2]
random.seed(7)
groups = ["refugee", "refugee", "returnee", "host", "IDP", "migrant"]
needs = ["SC-UC", "SC-SC", "SV-VA", "DS-PM", "DS-BD", "WR-WR", "ER-NF", "SM-CI", "LP-ND", "FU-TR", "CR-LW"]
sectors = ["health", "shelter_housing_and_settlements", "livelihoods_and_basic_needs",
           "water_sanitation_and_hygiene", "protection_gender_and_inclusion", "education"]
shelters = ["tent", "host_family", "rented", "collective_centre", "open_air"]
def write(path, count, hxl):
    with open(path, "w") as f:
        f.write("start;population_group;resp_sex;resp_age;specific_needs;priority_needs;hh_size;shelter;comment;_uuid;_submission_time\n")
        if hxl:
            f.write(";#respondee+type;#respondee+sex;#respondee+age;#respondee+needs;#sector+priority;#respondee+hh_size;;;;\n")
        for i in range(count):
            k = random.random()
            need = " ".join(sorted(random.sample(needs, 1 if k < 0.5 else 2))) if k < 0.7 else ""
            prio = " ".join(sorted(random.sample(sectors, 2)))
            f.write(f"2026-05-{1 + i % 28:02d}T09:{i % 60:02d}:00.000+02:00;{random.choice(groups)};"
                    f"{random.choice(['female', 'male'])};{random.randint(15, 80)};{need};{prio};{random.randint(1, 9)};"
                    f"{random.choice(shelters)};Interview {i} near the market;bench-{i:08d};2026-05-{1 + i % 28:02d}T10:00:00\n")
write(f"{work}/kobo-{n}.csv", n, True)
write(f"{work}/kobo-{n // 10}.csv", n // 10, True)
write(f"{work}/floor-{n}.csv", n, False)
PY

if [ -n "${PG_URL:-}" ]; then
  export DATABASE_URL="${PG_URL%/*}/bearing_bench"
  psql "$PG_URL" -v ON_ERROR_STOP=1 -q -c "DROP DATABASE IF EXISTS bearing_bench" -c "CREATE DATABASE bearing_bench" 2>/dev/null
  DB="PostgreSQL $(psql "$DATABASE_URL" -qAt -c 'show server_version')"
else
  DB="SQLite $(sqlite3 --version | cut -d' ' -f1)"
fi
echo "## needs assessments: KoBo import, $DB, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), commit $(git rev-parse --short HEAD)"
"$BIN" migrate > /dev/null
"$BIN" operations create --code BENCH --name Bench --countries SDN > /dev/null

# The floor: the same rows (without the HXL row) loaded by the engine's own tool into a table of
# the same columns, in the same database.
floor() {
  if [ -n "${PG_URL:-}" ]; then
    psql "$DATABASE_URL" -q -c "DROP TABLE IF EXISTS floor_t" \
      -c "CREATE TABLE floor_t (start text, population_group text, resp_sex text, resp_age text, specific_needs text, priority_needs text, hh_size text, shelter text, comment text, uuid text PRIMARY KEY, submitted text)" >/dev/null
    seconds psql "$DATABASE_URL" -q -c "\\copy floor_t FROM '$WORK/floor-$N.csv' WITH (FORMAT csv, DELIMITER ';', HEADER true)"
  else
    sqlite3 "$BEARING_DATA_DIR/bearing.sqlite" "DROP TABLE IF EXISTS floor_t" \
      "CREATE TABLE floor_t (start text, population_group text, resp_sex text, resp_age text, specific_needs text, priority_needs text, hh_size text, shelter text, comment text, uuid text PRIMARY KEY, submitted text)"
    seconds sqlite3 "$BEARING_DATA_DIR/bearing.sqlite" ".mode csv" ".separator ;" ".import --skip 1 $WORK/floor-$N.csv floor_t"
  fi
}
run() {
  local file=$1 label=$2
  shift 2
  read -r t rss < <(seconds "$BIN" import assessments --format kobo "$file" --operation BENCH "$@")
  echo "$label|$t|$((rss / 1024))"
}
read -r floor_t floor_rss < <(floor)
small=$(run "$WORK/kobo-$((N / 10)).csv" "import of $((N / 10)) submissions (new assessment)" --title "Small" --start-on 2026-05-01 --groups REF,RET,HST,IDP,MIT)
big=$(run "$WORK/kobo-$N.csv" "import of $N submissions (new assessment)" --title "Big" --start-on 2026-05-01 --groups REF,RET,HST,IDP,MIT)
again=$(run "$WORK/kobo-$N.csv" "re-import of the same $N (all already there)" --assessment 2)
added=$("$BIN" import assessments --format kobo "$WORK/kobo-$((N / 10)).csv" --operation BENCH --assessment 1 2>&1 | head -1)
echo "check (small file again): $added"
echo "| what | time (whole command) | max RSS | share of the floor's speed |"
echo "|---|---|---|---|"
echo "| floor: $N rows loaded by the engine's own tool | ${floor_t} s | $((floor_rss / 1024)) MB | 100 % |"
for line in "$small" "$big" "$again"; do
  IFS='|' read -r label t rss <<< "$line"
  rows=$([[ "$label" == *"$((N / 10)) "* ]] && echo $((N / 10)) || echo "$N")
  share=$(python3 -c "print(round(100 * ($floor_t / $N) / ($t / $rows)))")
  echo "| $label | $t s | $rss MB | $share % |"
done
rm -rf "$WORK"
