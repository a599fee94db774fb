#!/usr/bin/env bash
# The CSV export of context events as a multiple of what the sqlite3 shell takes to write the same
# columns, in the same order, as CSV (BENCHMARKS.md, issue 22 point 2). The shell's query computes
# what the export computes in Swift: the date as precisely as it is known, coordinates to six
# decimals, the casualty totals and the 24 cells; empty severity, seriousness, status and title,
# as the export leaves them for published events. Alternating runs, RUNS of each (default 3).
# Usage, after `swift build -c release --product bearing` and `bash Scripts/bench-incidents.sh ROWS`
# (its work folder is printed first; its data folder holds the database):
#   bash Scripts/bench-export-ratio.sh DATA_DIR [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
export BEARING_DATA_DIR=${1:?the data folder of a database with an operation BENCH and ACLED events}
RUNS=${2:-3}
BIN=${BIN:-$(pwd)/.build/release/bearing}
DB=$BEARING_DATA_DIR/bearing.sqlite
measure() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
rows=$(sqlite3 "$DB" "SELECT COUNT(*) FROM context_events")
echo "## CSV export vs the sqlite3 shell, $rows events, $(date -u +%Y-%m-%d), $(nproc) cores, commit $(git rev-parse --short HEAD), $(sqlite3 --version | cut -d' ' -f1)"

cells=$(sqlite3 "$DB" "SELECT name FROM pragma_table_info('context_events') WHERE name GLOB 'killed_*' OR name GLOB 'injured_*' OR name GLOB 'kidnapped_*' OR name GLOB 'detained_*' ORDER BY cid" | paste -sd, -)
sum() { sqlite3 "$DB" "SELECT name FROM pragma_table_info('context_events') WHERE name GLOB '$1_*' ORDER BY cid" | paste -sd+ -; }
SQL=$(mktemp)
trap 'rm -f "$SQL"' EXIT
cat > "$SQL" <<SQLEND
.headers on
.mode csv
SELECT source, source_id AS id,
  CASE time_precision
    WHEN 'minute' THEN strftime('%Y-%m-%dT%H:%MZ', occurred_on, 'unixepoch')
    WHEN 'month' THEN strftime('%Y-%m', occurred_on, 'unixepoch')
    WHEN 'year' THEN strftime('%Y', occurred_on, 'unixepoch')
    ELSE strftime('%Y-%m-%d', occurred_on, 'unixepoch') END AS date,
  time_precision, country_iso3, admin1, admin2, area_pcode, round(latitude, 6) AS latitude, round(longitude, 6) AS longitude,
  geo_precision, location_type, category, subtype, actor_type, actor_name, means, context, motive,
  NULL AS severity, NULL AS serious, verification, NULL AS status,
  $(sum killed) AS killed, $(sum injured) AS injured, $(sum kidnapped) AS kidnapped, $(sum detained) AS detained,
  $(sum killed)+$(sum injured)+$(sum kidnapped)+$(sum detained) AS affected, fatalities,
  $cells, NULL AS title, description
FROM context_events WHERE operation_id = (SELECT id FROM operations WHERE code = 'BENCH') AND source = 'acled'
ORDER BY occurred_on, id;
SQLEND
exports=(); shells=()
for i in $(seq "$RUNS"); do
  read -r e em < <(measure "$BIN" export incidents --operation BENCH --source acled --format csv)
  read -r s sm < <(measure sqlite3 "$DB" ".read $SQL")
  exports+=("$e"); shells+=("$s")
  echo "  run $i: bearing export $e s (max RSS $((em / 1024)) MB), sqlite3 shell $s s (max RSS $((sm / 1024)) MB)"
done
echo "  sizes: bearing $("$BIN" export incidents --operation BENCH --source acled --format csv | wc -c) bytes, shell $(sqlite3 "$DB" ".read $SQL" | wc -c) bytes"
python3 - "${exports[*]}" "${shells[*]}" <<'PY'
import statistics, sys
e = statistics.median(float(x) for x in sys.argv[1].split())
s = statistics.median(float(x) for x in sys.argv[2].split())
print(f"  median: export {e:.2f} s, shell {s:.2f} s: the export takes {e / s:.2f}x the shell's time")
PY
