#!/usr/bin/env python3
"""The stakeholder registry and the advocacy products at volume (issue 19, BENCHMARKS.md).

Against a running demo server (`bearing serve --demo`, release, `BEARING_WORKER=off`) whose SQLite file is
DATA_DIR/bearing.sqlite:
1. writes a CSV of ORGS organisations and PEOPLE people (spread over them), imports it with
   `bearing import stakeholders` (the command line, beside the server, on the same database) and times it against
   the sqlite3 shell's `.import` of the same file into a table of the same columns (the engine's floor);
2. signs in as the migration coordinator and times the registry's pages (the list, the security view, a search, the
   unverified filter, the influence × interest map, an organisation with its people, the CSV and vCard exports and
   the handover pack of the whole registry);
3. writes a humanitarian update with 50 figure placeholders through the API, has it reviewed and approved (every
   figure frozen), and times the approved product's page, print and e-mail views, beside the same text left in draft
   (50 figures resolved live at each view).
Each page is asked 15 times, one at a time, after a warm-up; the floor of the pages is the static health route in
the same run. Usage: bench-network.py BASE_URL BEARING_BINARY DATA_DIR [ORGS] [PEOPLE]"""
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

base, binary, data_dir = sys.argv[1:4]
orgs = int(sys.argv[4]) if len(sys.argv) > 4 else 5000
people = int(sys.argv[5]) if len(sys.argv) > 5 else 20000
code = "SDN-DEMO"
env = dict(os.environ, BEARING_DATA_DIR=data_dir)

# 1. The import, against the engine's own.
folder = tempfile.mkdtemp()
path = os.path.join(folder, "network.csv")
types = ["un_agency", "ingo", "nngo", "ministry", "local_government", "community_leader", "police", "donor"]
topics = ["security", "migration", "both"]
with open(path, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["kind", "name", "acronym", "actor_type", "organisation", "position", "topic", "relation", "influence",
                "interest", "last_verified_on", "emails", "phones", "audience"])
    for i in range(orgs):
        w.writerow(["organisation", f"Bench organisation {i}", f"BO{i}", types[i % len(types)], "", "",
                    topics[i % 3], "coordination_member", 1 + i % 5, 1 + (i // 5) % 5,
                    f"2026-{1 + i % 11:02d}-15", f"office{i}@bench.example", f"+249 912 {i % 1000:03d} {i % 997:03d}",
                    "ifrc"])
    for j in range(people):
        i = j % orgs
        w.writerow(["person", f"Bench person {j}", "", types[i % len(types)], f"Bench organisation {i}", "Officer",
                    topics[j % 3], "coordination_member", 1 + j % 5, 1 + (j // 7) % 5, "2026-11-20",
                    f"person{j}@bench.example", f"+249 913 {j % 1000:03d} {j % 991:03d}", "ifrc"])
rows = orgs + people


def command(args):
    started = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + args, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    rss = int(out.stderr.strip().splitlines()[-1]) // 1024 if out.stderr.strip() else 0
    if out.returncode != 0:
        sys.exit(f"{args[:3]} failed: {out.stdout[-500:]} {out.stderr[-500:]}")
    return elapsed, rss, out.stdout


imported = command([binary, "import", "stakeholders", path, "--operation", code])
floor_db = os.path.join(folder, "floor.sqlite")
columns = ", ".join(f'"{c}" TEXT' for c in
                    ["kind", "name", "acronym", "actor_type", "organisation", "position", "topic", "relation",
                     "influence", "interest", "last_verified_on", "emails", "phones", "audience"])
floor = command(["sqlite3", floor_db, f"CREATE TABLE t ({columns});",
                 ".mode csv", f".import --skip 1 {path} t"])
print(f"import of {rows:,} entries ({orgs:,} organisations, {people:,} people):")
print(f"| what | time | max RSS | share of the floor's speed |\n|---|---|---|---|")
print(f"| floor: sqlite3 .import of the same CSV | {floor[0]:.2f} s | {floor[1]} MB | 100 % |")
print(f"| bearing import stakeholders | {imported[0]:.2f} s | {imported[1]} MB | {floor[0] / imported[0] * 100:.0f} % |")
print("  " + imported[2].splitlines()[0][:200])

# 2. The registry's pages.
email, password = "migration@demo.bearing.test", "bearing-demo-migration"
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def page(p, fields=None):
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    with opener.open(base + p, data=data, timeout=300) as answer:
        return answer.read()


csrf = re.search(rb'name="_csrf" value="([^"]+)"', page("/sign-in")).group(1).decode()
page("/sign-in", {"email": email, "password": password, "_csrf": csrf})


def timed(p, runs=15):
    page(p)
    times, size = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        size = len(page(p))
        times.append(time.perf_counter() - t)
    times.sort()
    return statistics.median(times), times[int(0.9 * (runs - 1))], size


health = timed("/health")
op = f"/operations/{code}"
org = re.search(rb'/stakeholders/([0-9A-F-]{36})"', page(f"{op}/stakeholders?kind=organisation&q=Bench+organisation+4711"))
print("\n| page | median | p90 | bytes | median ÷ the static route's |\n|---|---|---|---|---|")
print(f"| /health (static route, the floor) | {health[0] * 1000:.1f} ms | {health[1] * 1000:.1f} ms | {health[2]} | 1 |")
pages = [
    ("the registry, first page of 50", f"{op}/stakeholders"),
    ("the security network (one role's view)", f"{op}/stakeholders?view=security"),
    ("a search by name", f"{op}/stakeholders?q=person+1234"),
    ("entries not verified lately", f"{op}/stakeholders?unverified=1"),
    ("the influence × interest map", f"{op}/stakeholders/map"),
    ("an organisation with its people (view recorded)", f"{op}/stakeholders/{org.group(1).decode()}" if org else None),
]
for label, p in pages:
    if p is None:
        continue
    median, p90, size = timed(p)
    print(f"| {label} | {median * 1000:.0f} ms | {p90 * 1000:.0f} ms | {size:,} | {median / health[0]:.0f} |")
for label, p in [
    ("export of the whole registry as CSV (recorded)", f"{op}/stakeholders/export?format=csv"),
    ("export as vCard", f"{op}/stakeholders/export?format=vcf"),
    ("the handover pack of the whole registry", f"{op}/stakeholders/handover"),
]:
    median, p90, size = timed(p, runs=5)
    print(f"| {label} | {median * 1000:.0f} ms | {p90 * 1000:.0f} ms | {size:,} | {median / health[0]:.0f} |")

# 3. A product with 50 frozen figures.
tokens = {}
for who in ["migration", "security", "ns", "staff", "heops"]:
    tokens[who] = subprocess.check_output(
        [sys.executable, ".ci/api_token.py", base, f"{who}@demo.bearing.test", f"bearing-demo-{who}"], text=True).strip()
def api(who, method, p, body=None):
    request = urllib.request.Request(
        f"{base}/api/v1/operations/{code}{p}", data=json.dumps(body).encode() if body is not None else None,
        method=method, headers={"Authorization": f"Bearer {tokens[who]}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        return json.loads(answer.read()), answer.headers


def user_id(who):
    return subprocess.check_output(
        ["sqlite3", os.path.join(data_dir, "bearing.sqlite"),
         f"SELECT id FROM users WHERE email = '{who}@demo.bearing.test'"], text=True).strip()


placeholders = [f"{{{{flows.counted days={d}}}}}" for d in range(1, 26)] + \
               [f"{{{{incidents.count days={d}}}}}" for d in range(1, 26)]
body = "# Fifty figures\n\n" + "\n".join(f"- Figure {n + 1}: {p}" for n, p in enumerate(placeholders))
drafts = []
for title in ["Bench update (approved)", "Bench update (draft)"]:
    made, _ = api("migration", "POST", "/products", {
        "kind": "humanitarian_update", "title": title, "language": "en", "body": body, "audience": "ifrc_ns"})
    drafts.append(made["id"])
reviewers = {"technical": user_id("security"), "protection": user_id("ns"), "communications": user_id("staff")}
api("migration", "POST", f"/products/{drafts[0]}/actions", {"action": "submit", "reviewers": reviewers})
for who, area in [("security", "technical"), ("ns", "protection"), ("staff", "communications")]:
    api(who, "POST", f"/products/{drafts[0]}/actions", {"action": "review", "area": area, "verdict": "cleared"})
approved, _ = api("heops", "POST", f"/products/{drafts[0]}/actions", {"action": "approve"})
assert approved["state"] == "approved" and len(approved["figures"]) == 50, approved
print("\n| product view (50 figures) | median | p90 | bytes | median ÷ the static route's |\n|---|---|---|---|---|")
for label, p in [
    ("approved: the product's page (frozen figures)", f"{op}/products/{drafts[0]}"),
    ("approved: print", f"{op}/products/{drafts[0]}/print"),
    ("approved: as an e-mail", f"{op}/products/{drafts[0]}/email"),
    ("draft: the product's page (50 figures resolved live)", f"{op}/products/{drafts[1]}"),
]:
    median, p90, size = timed(p)
    print(f"| {label} | {median * 1000:.0f} ms | {p90 * 1000:.0f} ms | {size:,} | {median / health[0]:.0f} |")
