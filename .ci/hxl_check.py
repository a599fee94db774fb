#!/usr/bin/env python3
"""Reads Bearing's HXL incident export with libhxl (the HXL project's library) and checks that every
column carries the hashtag we intend, that libhxl sees as many rows as Bearing counted, and that
the casualty totals libhxl sums equal `bearing stats incidents`.

usage: hxl_check.py EXPORT.csv STATS.csv   (exit 1 on any difference)"""
import csv
import sys

import hxl

from hxl_tags import read_tagged

export_path, stats_path = sys.argv[1], sys.argv[2]

# The intended tags, written out here independently of the Swift code that writes them.
intended = {
    "source": "#meta+source", "id": "#event+id", "date": "#date+occurred", "time_precision": "#date+precision",
    "country_iso3": "#country+code", "admin1": "#adm1+name", "admin2": "#adm2+name", "area_pcode": "#loc+code",
    "latitude": "#geo+lat", "longitude": "#geo+lon", "geo_precision": "#geo+precision", "location_type": "#loc+type",
    "category": "#event+category", "subtype": "#event+type", "actor_type": "#group+type", "actor_name": "#group+name",
    "means": "#event+means", "context": "#event+context", "motive": "#event+motive", "severity": "#severity",
    "serious": "#severity+serious", "verification": "#status+verification", "status": "#status+followup",
    "killed": "#affected+killed", "injured": "#affected+injured", "kidnapped": "#affected+kidnapped",
    "detained": "#affected+detained", "affected": "#affected+total", "fatalities": "#affected+killed+all",
    "title": "#description+title", "description": "#description",
}
for harm in ["killed", "injured", "kidnapped", "detained"]:
    for nationality in ["national", "international"]:
        for sex, tag in [("female", "f"), ("male", "m"), ("unknown", "i")]:
            intended[f"{harm}_{nationality}_{sex}"] = f"#affected+{harm}+{nationality}+{tag}"

failures = []
columns, rows = read_tagged(export_path, intended, failures)
with open(stats_path, newline="") as f:
    stats = list(csv.DictReader(f))
expected_rows = sum(int(r["incidents"]) for r in stats)
if len(rows) != expected_rows:
    failures.append(f"libhxl reads {len(rows)} rows; bearing stats counts {expected_rows}")

index = {c.header: i for i, c in enumerate(columns)}
for name in ["killed", "injured", "kidnapped", "detained", "affected"]:
    summed = sum(int(row.values[index[name]] or 0) for row in rows)
    stated = sum(int(r[name]) for r in stats)
    if summed != stated:
        failures.append(f"{name}: libhxl sums {summed}; bearing stats says {stated}")

print(f"libhxl {hxl.__version__}: {len(columns)} columns, {len(rows)} rows read from {export_path}")
for failure in failures:
    print("FAIL:", failure)
if failures:
    sys.exit(1)
print("OK: every column tagged as intended; rows and casualty totals agree with bearing stats")
