#!/usr/bin/env python3
"""Field conditions' benchmarks (BENCHMARKS.md, issue 21), against a release server with the demo:

1. 2G in headless Chromium (DevTools network emulation: 250 kbit/s down and up, 300 ms round trip), as the staff
   member at 390 px: each capture page's weight as transferred (compressed, with its styles and script) on a first
   visit and again with the assets kept; the time until the incident form can be typed into (the title field
   parsed and the page rendered: DOMContentLoaded, styles being render-blocking and the script deferred); the time
   from pressing Save to the incident's own page.
2. The offline queue replayed: DEVICES simulated devices (each its own signed-in session, sending its entries one
   after another as capture.js does) send ENTRIES tallies in all at once, then every entry again (every answer
   lost): the time of each pass, the answers, and the tallies counted in the database afterwards (0 duplicates).
   The floor, in the same run: the same number of GET /health by the same client threads.
3. Webhook intake: RATE signed messages a second (Bearing's JSON, 1,000 senders) for SECONDS seconds, sent on a fixed
   schedule whatever the answers (an open loop, as a gateway does): each answer's time (p50, p99, max), the answers,
   and the messages counted in the inbox afterwards (0 lost). The floor: GET /health on the same schedule.

Usage, after `swift build -c release --product bearing` (nothing else running):
  python3 Scripts/bench-field.py [ENTRIES DEVICES [RATE SECONDS]]     # default 10000 50 200 30
Needs Chromium, chromedriver and Selenium (as the browser tests), and sqlite3."""
import json, os, re, subprocess, sys, tempfile, threading, time, urllib.parse, urllib.request, uuid
import http.cookiejar

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(root, ".ci"))
binary = os.environ.get("BIN", os.path.join(root, ".build/release/bearing"))
entries, devices = (int(a) for a in (sys.argv[1:3] if len(sys.argv) > 2 else (10000, 50)))
rate, seconds = (int(a) for a in (sys.argv[3:5] if len(sys.argv) > 4 else (200, 30)))
port = 8277
base = f"http://127.0.0.1:{port}"
os.environ["BEARING_BASE_URL"] = base
import browser_test as bt  # noqa: E402  (reads BEARING_BASE_URL)

work = tempfile.mkdtemp()
data = os.path.join(work, "data")
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
server = subprocess.Popen([binary, "serve", "--demo", "--port", str(port)], env=dict(
    os.environ, BEARING_DATA_DIR=data, BEARING_WORKER="off"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(240):
    try:
        urllib.request.urlopen(base + "/health", timeout=2)
        break
    except Exception:
        time.sleep(0.5)
print(f"## field conditions, commit {commit}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
CODE = "SDN-DEMO"
TWO_G = {"offline": False, "latency": 300, "downloadThroughput": 250_000 // 8, "uploadThroughput": 250_000 // 8}
WEIGHT_JS = """return performance.getEntries().filter(e => e.transferSize !== undefined)
  .map(e => [e.name, e.transferSize, e.encodedBodySize]);"""
TIMING_JS = """var n = performance.getEntriesByType('navigation')[0];
return [n.responseStart, n.responseEnd, n.domContentLoadedEventEnd, n.loadEventEnd];"""


UNREGISTER_JS = """var done = arguments[0];
navigator.serviceWorker.getRegistrations().then(rs => Promise.all(rs.map(r => r.unregister())))
  .then(() => caches.keys()).then(k => Promise.all(k.map(x => caches.delete(x)))).then(() => done(true));"""
CONTROLLED_JS = """var done = arguments[0];
navigator.serviceWorker.ready.then(() => done(!!navigator.serviceWorker.controller));"""
NO_THROTTLE = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


def two_g():
    weigher = bt.ServerRecords("staff")
    driver = bt.make_driver()
    try:
        p = bt.demo_session(driver, "staff", "bearing-demo-staff", 390)
        devtools = bt.DevTools(driver)
        pages = [("incident report", f"/operations/{CODE}/incidents/new"), ("tally", f"/operations/{CODE}/flows/new"),
                 ("where I am", f"/operations/{CODE}/people/me")]
        driver.get(base + pages[2][1])
        links = driver.find_elements(bt.By.CSS_SELECTOR, "#my-movements a")
        if links:
            pages.append(("movement check-in", urllib.parse.urlparse(links[0].get_attribute("href")).path))
        for name, path in pages:
            print(f"weight {name:18} {weigher.weight(path) / 1024:5.1f} KB gzip-compressed with its styles and scripts",
                  flush=True)
        for name, path in pages:
            # A first visit: no service worker, nothing cached (HTTP cache and the worker's caches emptied).
            devtools.emulate(NO_THROTTLE)
            driver.get(base + "/health")  # a page without capture.js, which would register the worker again
            driver.execute_async_script(UNREGISTER_JS)
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd("Network.clearBrowserCache", {})
            devtools.emulate(TWO_G)
            driver.get(base + path)
            cold = driver.execute_script(TIMING_JS)
            # Again, the worker in place and the assets kept (throttled too: it fetches the page).
            devtools.emulate(NO_THROTTLE)
            for _ in range(10):  # until the worker controls the page (it may still be installing)
                driver.get(base + path)
                if driver.execute_script("return !!navigator.serviceWorker.controller"):
                    break
                time.sleep(1)
            devtools.emulate(TWO_G)
            driver.get(base + path)
            warm = driver.execute_script(TIMING_JS)
            print(f"2G {name:18} ready to type: first visit {cold[2] / 1000:.2f} s, assets kept {warm[2] / 1000:.2f} s "
                  f"(page loaded {cold[3] / 1000:.2f} / {warm[3] / 1000:.2f} s)", flush=True)
        # Save an incident over 2G: from the click to the incident's own page.
        devtools.emulate(TWO_G)
        p.open(f"/operations/{CODE}/incidents/new", "form button#save")
        p.fill("#title", "Vehicle stopped at a checkpoint (2G)")
        p.choose("#category", "violence")
        p.choose("#subtype", "armed_threat")
        p.choose_preferred("#area_pcode", "SD13")
        devtools.emulate(TWO_G)
        started = time.monotonic()
        p.click(p.find("button#save"))
        p.expect_path(rf"/operations/{CODE}/incidents/({bt.UUID_RE})/?", "after saving over 2G", timeout=120)
        bt.WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") != "loading")
        print(f"2G: Save pressed to the incident's page shown: {time.monotonic() - started:.2f} s", flush=True)
        # The floor: the same link's own cost for the smallest page (GET /health, 2 bytes) from this page.
        devtools.emulate(TWO_G)
        started = time.monotonic()
        driver.execute_async_script("var d = arguments[0]; fetch('/health', {cache: 'no-store'}).then(r => r.text()).then(d)")
        print(f"2G floor: fetch of /health from the page: {time.monotonic() - started:.2f} s", flush=True)
        devtools.close()
    finally:
        driver.quit()


def session(who):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/sign-in").read().decode()
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    opener.open(base + "/sign-in", urllib.parse.urlencode({
        "email": f"{who}@demo.bearing.test", "password": f"bearing-demo-{who}", "_csrf": token}).encode())
    state = json.loads(opener.open(base + "/capture/state").read())
    return opener, state


def replay():
    accounts = ["staff", "migration", "heops", "ns"]
    # Which accounts may record tallies here: the form opens for them.
    points = None
    devices_ = []
    for index in range(devices):
        opener, state = session(accounts[index % len(accounts)])
        if points is None:
            form = opener.open(base + f"/operations/{CODE}/flows/new").read().decode()
            points = re.findall(r'<option value="([0-9A-Fa-f-]{36})"', form.split('id="point"', 1)[1].split("</select>", 1)[0])
        devices_.append((opener, state))
    per = entries // devices
    marker = 700_000
    queues = []
    for d in range(devices):
        queue = []
        for i in range(per):
            n = marker + d * per + i
            fields = {"point": points[n % len(points)], "date": time.strftime("%Y-%m-%d"), "from": "06:00", "to": "18:00",
                      "direction": "incoming", "total": str(n), "nationality": "SDN",
                      "client_id": str(uuid.uuid4()), "client_account": devices_[d][1]["account"],
                      "captured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            queue.append(fields)
        queues.append(queue)
    answers = {}
    lock = threading.Lock()

    def device(d, queue):
        opener, state = devices_[d]
        counts = {}
        for fields in queue:
            body = urllib.parse.urlencode(dict(fields, _csrf=state["csrf"])).encode()
            request = urllib.request.Request(base + f"/operations/{CODE}/flows", data=body, headers={
                "X-Bearing-Capture": "1", "Accept": "application/json"})
            try:
                state_ = json.loads(opener.open(request).read())["state"]
            except urllib.error.HTTPError as error:
                state_ = f"{error.code} {json.loads(error.read()).get('state')}"
            counts[state_] = counts.get(state_, 0) + 1
        with lock:
            for k, v in counts.items():
                answers[k] = answers.get(k, 0) + v

    def run_pass(label):
        answers.clear()
        threads = [threading.Thread(target=device, args=(d, q)) for d, q in enumerate(queues)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        print(f"{label}: {entries} entries from {devices} devices in {elapsed:.1f} s "
              f"({entries / elapsed:.0f}/s); answers {dict(sorted(answers.items()))}", flush=True)
        return elapsed

    def floor():
        def health(_):
            for _ in range(per):
                urllib.request.urlopen(base + "/health").read()
        threads = [threading.Thread(target=health, args=(d,)) for d in range(devices)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        print(f"floor: {entries} GET /health from {devices} threads in {elapsed:.1f} s ({entries / elapsed:.0f}/s)",
              flush=True)
        return elapsed

    floor_time = floor()
    first = run_pass("first send")
    again = run_pass("all sent again")
    db = os.path.join(data, "bearing.sqlite")
    count = subprocess.run(["sqlite3", db, f"SELECT COUNT(*), COUNT(DISTINCT total) FROM flow_observations "
                            f"WHERE total >= {marker} AND total < {marker + entries}"],
                           capture_output=True, text=True).stdout.strip()
    print(f"tallies in the database: {count} (rows, distinct totals); ratio to the floor: first "
          f"{first / floor_time:.1f}x, again {again / floor_time:.1f}x", flush=True)


def intake():
    import hashlib, hmac, http.client, queue
    opener, _ = session("security")
    page = opener.open(base + f"/operations/{CODE}/inbox").read().decode()
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    page = opener.open(base + f"/operations/{CODE}/inbox/gateways", urllib.parse.urlencode(
        {"name": "Bench relay", "kind": "generic", "secret": "", "_csrf": token}).encode()).read().decode()
    secret = re.search(r'id="gateway-secret">([^<]+)<', page).group(1)
    gateway = re.findall(r"/webhooks/([0-9A-F-]{36})", page)[-1]
    total = rate * seconds
    jobs = queue.Queue()
    latencies, answers, lock = [], {}, threading.Lock()

    def worker(kind):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            job = jobs.get()
            if job is None:
                return
            due, body = job
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            started = time.monotonic()
            try:
                if kind == "floor":
                    connection.request("GET", "/health")
                else:
                    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
                    connection.request("POST", f"/webhooks/{gateway}", body=body, headers={
                        "Content-Type": "application/json", "X-Bearing-Signature": signature})
                response = connection.getresponse()
                response.read()
                status = response.status
            except Exception as error:  # a refused or reset connection counts, then a new one
                status = type(error).__name__
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            # Measured from when it was due: a late send counts against the server (no coordinated omission).
            elapsed = time.monotonic() - min(due, started)
            with lock:
                latencies.append(elapsed)
                answers[status] = answers.get(status, 0) + 1

    def run(kind):
        latencies.clear()
        answers.clear()
        threads = [threading.Thread(target=worker, args=(kind,)) for _ in range(32)]
        for t in threads:
            t.start()
        start = time.monotonic() + 0.5
        for i in range(total):
            body = json.dumps({"id": f"bench-{i}", "from": f"+24991{i % 1000:07d}",
                               "text": f"Message {i}: road to Kassala clear"}).encode()
            jobs.put((start + i / rate, body))
        for _ in threads:
            jobs.put(None)
        for t in threads:
            t.join()
        ordered = sorted(latencies)
        p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000
        print(f"{kind}: {total} at {rate}/s: p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, max {ordered[-1] * 1000:.1f} ms; "
              f"answers {dict(sorted((str(k), v) for k, v in answers.items()))}", flush=True)

    run("floor")
    run("webhook")
    db = os.path.join(data, "bearing.sqlite")
    count = subprocess.run(["sqlite3", db, "SELECT COUNT(*), COUNT(DISTINCT external_id) FROM inbound_messages "
                            "WHERE external_id LIKE 'bench-%'"], capture_output=True, text=True).stdout.strip()
    print(f"messages in the inbox: {count} (rows, distinct ids) of {total} sent", flush=True)


try:
    if os.environ.get("SKIP_2G") != "1":
        two_g()
    if os.environ.get("SKIP_REPLAY") != "1":
        replay()
    if os.environ.get("SKIP_INTAKE") != "1":
        intake()
finally:
    server.terminate()
    server.wait()
