#!/usr/bin/env python3
"""Reads Bearing's HXL exports of displacement figures and flow tallies with libhxl (the HXL
project's library) and checks them against MIGRATION.md §3.2 as written out here, independently of
the Swift code: every column carries the hashtag we intend; no #date column holds anything but an
ISO date (a bare year is #x_year); Arabic names carry +i_ar; the totals per year and population
type that libhxl sums equal `bearing stats population`; in every tally the sex × age bins and the
people in vulnerable situations are whole numbers that fit inside the people counted.

usage: hxl_check_population.py FIGURES.csv STATS.csv FLOWS.csv   (exit 1 on any difference)"""
import csv
import re
import sys
from collections import defaultdict

import hxl

from hxl_tags import read_tagged

figures_path, stats_path, flows_path = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []

FIGURE_TAGS = {
    "dataset": "#meta+id", "source": "#meta+source", "method": "#meta+x_method",
    "population_type": "#population_group+code", "location_kind": "#loc+type", "location_code": "#loc+code",
    "location_name": "#loc+name", "location_name_ar": "#loc+name+i_ar", "origin_iso3": "#country+code+origin",
    "country_iso3": "#country+code", "year": "#x_year", "reference_date": "#date", "round": "#x_round",
    "reporting_date": "#date+reported", "total": "#population+ind", "breakdown": "#meta+x_breakdown",
}
AGES = {"0_4": "age0_4", "5_11": "age5_11", "12_17": "age12_17", "18_59": "age18_59", "60": "age60plus", "other": "x_age_unknown"}
BINS = [f"{sex}_{age}" for sex in "fm" for age in AGES]
VULNERABLE = ["uasc", "pregnant_lactating", "older_people", "disability", "serious_medical", "trafficking_risk"]
FLOW_TAGS = {
    "id": "#meta+id", "point": "#loc+name", "point_code": "#loc+code", "latitude": "#geo+lat", "longitude": "#geo+lon",
    "window_start": "#date+start", "window_end": "#date+end", "direction": "#x_direction",
    "people": "#population+ind+x_observed", "scheme": "#meta+x_scheme",
    "f": "#population+ind+x_observed+f", "m": "#population+ind+x_observed+m",
    "nationality": "#country+code+x_nationality", "origin_country": "#country+code+origin", "origin_area": "#loc+name+origin",
    "last_transit": "#loc+name+x_transit", "next_destination": "#loc+name+dest", "final_destination": "#loc+name+dest+x_final",
    "transport": "#x_transport+type", "reasons": "#cause+type",
}
for b in BINS:
    sex, age = b.split("_", 1)
    FLOW_TAGS[b] = f"#population+ind+x_observed+{sex}+{AGES[age]}"
for v in VULNERABLE:
    FLOW_TAGS[v] = f"#population+ind+x_observed+x_{v}"

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def read(path, intended, name):
    """The columns and rows libhxl reads, after checking every column's hashtag."""
    columns, rows = read_tagged(path, intended, failures, name)
    # No #date column holds a bare year or month: only ISO dates or timestamps, or nothing.
    for i, column in enumerate(columns):
        if column.tag != "#date":
            continue
        for n, row in enumerate(rows, start=3):
            value = row.values[i] or ""
            if value and not (ISO_DAY.match(value) or ISO_TIME.match(value)):
                failures.append(f"{name}, line {n}, {column.header}: {value!r} is not an ISO date")
                break
    return {c.header: i for i, c in enumerate(columns)}, columns, rows


# Displacement figures: totals per year and type against `bearing stats population`.
index, columns, rows = read(figures_path, FIGURE_TAGS, "figures")
arabic = [c for c in columns if c.header == "location_name_ar"]
if not arabic or "i_ar" not in arabic[0].attributes:
    failures.append("figures: the Arabic name column does not carry +i_ar for libhxl")
summed = defaultdict(int)
for row in rows:
    summed[(row.values[index["year"]], row.values[index["population_type"]])] += int(row.values[index["total"]])
with open(stats_path, newline="") as f:
    stats = list(csv.DictReader(f))
stated = {}
for line in stats:
    for code, value in line.items():
        if code != "year" and int(value):
            stated[(line["year"], code)] = int(value)
if dict(summed) != stated:
    failures.append(f"figures: libhxl sums {dict(summed)}; bearing stats says {stated}")
if not rows:
    failures.append("figures: the export is empty")
print(f"libhxl {hxl.__version__}: {len(columns)} columns, {len(rows)} figures read from {figures_path}")

# Flow tallies: numbers, and the parts inside the whole.
index, columns, rows = read(flows_path, FLOW_TAGS, "flows")
for n, row in enumerate(rows, start=3):
    def count(header):
        value = row.values[index[header]] or ""
        if value and not value.isdigit():
            failures.append(f"flows, line {n}, {header}: {value!r} is not a whole number")
            return 0
        return int(value or 0)
    people = count("people")
    for part, headers in [("sex × age", BINS), ("sex", ["f", "m"])]:
        if sum(count(h) for h in headers) > people:
            failures.append(f"flows, line {n}: the {part} breakdown is larger than the {people} people counted")
    for v in VULNERABLE:
        if count(v) > people:
            failures.append(f"flows, line {n}: {v} is larger than the {people} people counted")
if not rows:
    failures.append("flows: the export is empty")
print(f"libhxl {hxl.__version__}: {len(columns)} columns, {len(rows)} tallies read from {flows_path}")

for failure in failures[:40]:
    print("FAIL:", failure)
if failures:
    sys.exit(1)
print("OK: every column tagged as MIGRATION.md §3.2 intends; dates are ISO; figure totals agree with bearing stats")
