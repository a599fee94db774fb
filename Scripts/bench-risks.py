#!/usr/bin/env python3
"""Fills a running Bearing with RISKS risks and EDITS edits through its own forms (so every version,
measure and audit entry is written the way a coordinator writes it), then prints the moment halfway
through the edits: the start of the "what changed" period the benchmark reads.
Usage: bench-risks.py BASE_URL RISKS EDITS   (signed in as the demo's Security Coordinator)"""
import http.cookiejar, random, re, sys, time, urllib.parse, urllib.request
from datetime import datetime, timedelta, timezone

base, risks, edits = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
jar = http.cookiejar.CookieJar()
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs): return None
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

def request(path, form=None):
    data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
    try:
        with opener.open(base + path, data) as r: return r.status, r.read().decode(), r.headers
    except urllib.error.HTTPError as e: return e.code, e.read().decode(), e.headers

def csrf(html): return re.search(r'name="_csrf" value="([^"]*)"', html).group(1)

_, page, _ = request("/sign-in")
status, _, _ = request("/sign-in", {"_csrf": csrf(page), "email": "security@demo.bearing.test", "password": "bearing-demo-security"})
assert status == 303, f"sign-in answered {status}"
_, page, _ = request("/operations/SDN-DEMO/risks/new")
token = csrf(page)
rng = random.Random(11)
threats = ["armed_conflict", "crime", "civil_unrest", "kidnapping", "road_accident", "health_medical", "natural_hazard", "corruption"]
areas = ["", "SD01", "SD02", "SD02,SD03", "SD09", "SD15", "SD10"]
review = (datetime.now(timezone.utc) + timedelta(days=60)).strftime("%Y-%m-%d")

def form(i, likelihood, impact, residual):
    f = {"_csrf": token, "title": f"Bench risk {i}: {threats[i % len(threats)].replace('_', ' ')} near site {i % 40}",
         "threat": threats[i % len(threats)], "targets[]": ["people", "assets"], "area_pcodes": areas[i % len(areas)],
         "vulnerabilities": "Generated for the benchmark.", "likelihood": str(likelihood), "impact": str(impact),
         "next_review": review, "audience": "ifrc"}
    for m in range(2):
        due = (datetime.now(timezone.utc) + timedelta(days=rng.randint(-20, 40))).strftime("%Y-%m-%d")
        f |= {f"measures[{m}][description]": f"Measure {m + 1} of risk {i}", f"measures[{m}][owner]": "Logistics",
              f"measures[{m}][due]": due, f"measures[{m}][status]": rng.choice(["planned", "in_progress", "done"]),
              f"measures[{m}][strategy]": rng.choice(["acceptance", "protection", "deterrence"])}
    if residual:
        f |= {"residual_likelihood": str(max(1, likelihood - 1)), "residual_impact": str(impact)}
    return f

ids, started = [], time.time()
for i in range(risks):
    status, _, headers = request("/operations/SDN-DEMO/risks", form(i, rng.randint(1, 5), rng.randint(1, 5), i % 3 == 0))
    assert status == 303, f"risk {i}: {status}"
    ids.append(headers["Location"].rsplit("/", 1)[1])
since = None
for e in range(edits):
    if e == edits // 2:
        time.sleep(1.1)
        since = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M")
        time.sleep(61 - datetime.now(timezone.utc).second)  # the next minute: `since` has minute precision
    i = rng.randrange(risks)
    status, _, _ = request(f"/operations/SDN-DEMO/risks/{ids[i]}/edit", form(i, rng.randint(1, 5), rng.randint(1, 5), e % 2 == 0))
    assert status == 303, f"edit {e}: {status}"
print(f"{risks} risks and {edits} edits through the forms in {time.time() - started:.0f} s", file=sys.stderr)
print(since)
