#!/usr/bin/env python3
"""Reads Bearing's 3W of activities for people on the move (issue 18) with libhxl, the HXL project's
library, and checks it independently of the Swift code: the hashtags the issue names are there
(#org, #sector, #adm1+code, #activity, #targeted, #reached); every #targeted and #reached is a whole
number from 0; every #adm1+code is a P-code; every #sector is one of GO's; the totals that libhxl sums
per sector equal those of a plain reading of the CSV export.

usage: hxl_check_3w.py THREE_W.hxl.csv THREE_W.csv   (exit 1 on any difference)"""
import csv
import re
import sys
from collections import defaultdict

import hxl

hxl_path, csv_path = sys.argv[1], sys.argv[2]
failures = []

SECTORS = {
    "shelter_housing_and_settlements", "livelihoods_and_basic_needs", "multi_purpose_cash", "health",
    "water_sanitation_and_hygiene", "protection_gender_and_inclusion", "education", "migration_and_displacement",
    "risk_reduction_climate_adaptation_and_recovery", "community_engagement_and_accountability",
    "environmental_sustainability", "coordination_and_partnerships", "secretariat_services",
    "national_society_strengthening",
}

source = hxl.data(hxl_path, hxl.InputOptions(allow_local=True))
tags = [column.display_tag for column in source.columns]
for wanted in ["#org", "#sector", "#adm1+code", "#activity", "#targeted", "#reached"]:
    if not any(hxl.TagPattern.parse(wanted).match(column) for column in source.columns):
        failures.append(f"no column matches {wanted} (tags: {tags})")

by_sector = defaultdict(lambda: [0, 0])
rows = 0
for row in source:
    rows += 1
    sector = row.get("#sector")
    if sector not in SECTORS:
        failures.append(f"row {rows}: #sector {sector!r} is not one of GO's sectors")
    code = row.get("#adm1+code") or ""
    if not re.fullmatch(r"[A-Z]{2,3}[0-9]{0,10}", code):
        failures.append(f"row {rows}: #adm1+code {code!r} is not a P-code")
    for i, tag in enumerate(["#targeted", "#reached"]):
        value = row.get(tag)
        if value is None or not re.fullmatch(r"[0-9]+", value):
            failures.append(f"row {rows}: {tag} {value!r} is not a whole number from 0")
            continue
        by_sector[sector][i] += int(value)
if rows == 0:
    failures.append("the 3W has no activity")

plain = defaultdict(lambda: [0, 0])
with open(csv_path, newline="", encoding="utf-8") as f:
    for record in csv.DictReader(f):
        plain[record["sector"]][0] += int(record["targeted"])
        plain[record["sector"]][1] += int(record["reached"])
if dict(plain) != dict(by_sector):
    failures.append(f"totals per sector differ: libhxl {dict(by_sector)} vs plain CSV {dict(plain)}")

print(f"3W: {rows} activities, {len(by_sector)} sectors, tags {tags}")
for failure in failures:
    print("  FAIL " + failure)
sys.exit(1 if failures else 0)
