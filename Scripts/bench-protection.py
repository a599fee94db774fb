#!/usr/bin/env python3
"""The reach analysis and the protection heat map at volume (issue 18, BENCHMARKS.md): against a
running demo server, adds ACTIVITIES EPoA activities and RISKS protection risks through the API
(each risk's mitigation carried out by three activities), then times the activities page (reach
against target by sector, area and population type, acute beside protracted) and the register
(heat map of context × journey phase, its table, the list), signed in as the migration coordinator,
beside the static health route measured in the same run (Vapor's own floor on this machine).
Usage: bench-protection.py BASE_URL [ACTIVITIES] [RISKS]"""
import json
import random
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

base = sys.argv[1]
activities = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
risks = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
email, password = "migration@demo.bearing.test", "bearing-demo-migration"
token = subprocess.check_output(
    [sys.executable, ".ci/api_token.py", base, email, password], text=True).strip()
api = f"{base}/api/v1/operations/SDN-DEMO"
random.seed(18)


def post(path, body):
    request = urllib.request.Request(
        api + path, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


sectors = ["migration_and_displacement", "health", "protection_gender_and_inclusion", "shelter_housing_and_settlements",
           "livelihoods_and_basic_needs", "water_sanitation_and_hygiene", "community_engagement_and_accountability"]
kinds = ["hsp", "rfl", "referrals", "information", "psychosocial", "health", "cash"]
areas = ["SD10", "SD11", "SD12", "SD16", "SD17"]
types = ["REF", "ASY", "IDP", "RET", "HST", "MIT"]


def activity(i):
    targeted = random.randint(100, 5000)
    reached = random.randint(0, targeted)
    chosen = random.sample(types, 2)
    return post("/activities", {
        "name": f"Bench activity {i}", "kind": random.choice(kinds), "sector": random.choice(sectors),
        "area_pcode": random.choice(areas), "population_types": chosen,
        "phase": "acute" if i % 3 else "protracted", "start_on": "2026-05-01", "implementer": "SRCS",
        "targeted": targeted, "reached": reached,
        "targeted_by_type": {chosen[0]: targeted // 2}, "reached_by_type": {chosen[0]: reached // 2},
    })["activity"]["id"]


started = time.perf_counter()
with ThreadPoolExecutor(4) as pool:
    ids = list(pool.map(activity, range(activities)))
made_activities = time.perf_counter() - started
contexts = ["camp", "self_settled_camp", "collective_centre", "transit_centre", "urban", "rural", "border_area", "detention"]
phases = ["origin", "departure", "at_borders", "in_transit", "destination", "long_term", "return"]
categories = ["abduction_detention", "family_separation", "discrimination", "gender_based_violence", "trafficking",
              "theft_extortion", "movement_restrictions", "psychological_abuse"]


def risk(i):
    return post("/protection-risks", {
        "title": f"Bench protection risk {i}", "category": random.choice(categories),
        "context": random.choice(contexts), "phase": random.choice(phases), "groups": random.sample(types, 2),
        "vulnerabilities": random.sample(["sc", "sv", "wr", "ds"], 1), "likelihood": random.randint(1, 5),
        "severity": random.randint(1, 5),
        "mitigations": [{"description": "Mitigation", "owner": "SRCS", "activity_ids": random.sample(ids, 3)}],
    })["id"]


started = time.perf_counter()
with ThreadPoolExecutor(4) as pool:
    list(pool.map(risk, range(risks)))
made_risks = time.perf_counter() - started

opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def page(path, fields=None):
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    with opener.open(base + path, data=data, timeout=60) as answer:
        return answer.read()


csrf = re.search(rb'name="_csrf" value="([^"]+)"', page("/sign-in")).group(1).decode()
page("/sign-in", {"email": email, "password": password, "_csrf": csrf})


def timed(path, runs=15):
    page(path)  # warm
    times = []
    size = 0
    for _ in range(runs):
        t = time.perf_counter()
        size = len(page(path))
        times.append(time.perf_counter() - t)
    times.sort()
    return statistics.median(times), times[int(0.9 * (runs - 1))], size


floor = timed("/health")
print(f"set-up: {activities} activities through the API in {made_activities:.1f} s, {risks} risks in {made_risks:.1f} s")
print("| page | median | p90 | bytes | median ÷ the static route's |")
print("|---|---|---|---|---|")
print(f"| /health (static route, the floor) | {floor[0] * 1000:.1f} ms | {floor[1] * 1000:.1f} ms | {floor[2]} | 1 |")
for label, path in [
    ("activities: reach against target by sector, area and type", "/operations/SDN-DEMO/activities"),
    ("protection risks: heat map, its table and the register", "/operations/SDN-DEMO/protection-risks"),
    ("protection risks, found by name (abuse)", "/operations/SDN-DEMO/protection-risks?concern=abuse"),
]:
    median, p90, size = timed(path)
    print(f"| {label} | {median * 1000:.0f} ms | {p90 * 1000:.0f} ms | {size:,} | {median / floor[0]:.0f} |")
