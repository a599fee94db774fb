#!/usr/bin/env python3
"""Alert delivery drills (issue 17), with real parts: a real SMTP server (Scripts/smtp-sink.py,
aiosmtpd with STARTTLS and AUTH) receives every message; the bearing binary does the rest.

1. kill -9: an alert to N people on SQLite; `bearing jobs work` is killed with SIGKILL in the middle
   of the deliveries, then started again. Every recipient must have received the message, each
   recipient exactly one message (one Message-ID; the raw copies are counted and reported: a copy can
   only come from a kill between the server's "250" and the database's commit, and carries the same
   Message-ID, so mail clients show one), and the database must say every message was sent.
2. Two servers on one PostgreSQL (with --pg-url): both run their worker; the alert's jobs are shared
   with FOR UPDATE SKIP LOCKED: each recipient gets exactly one raw message, and both workers took part.

Usage: alert_drill.py --bin .build/debug/bearing [--people 500] [--pg-url postgres://…/postgres]
Exit status 0 when every check holds. With --bench, prints the figures BENCHMARKS.md records instead.
"""
import argparse, collections, csv, email, os, re, signal, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    import socket
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port


class Sink:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="drill-mail-")
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "Scripts/smtp-sink.py"), "--port", str(self.port), "--dir", self.dir],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().split()
        if not line or line[0] != "ready":
            raise SystemExit("the SMTP sink did not start")
        self.cert = line[2]

    def env(self):
        return {"BEARING_SMTP_HOST": "127.0.0.1", "BEARING_SMTP_PORT": str(self.port),
                "BEARING_SMTP_USERNAME": "bearing", "BEARING_SMTP_PASSWORD": "bearing-smtp-test",
                "BEARING_SMTP_FROM": "alerts@drill.bearing.test", "BEARING_SMTP_CA_FILE": self.cert}

    def count(self):
        return sum(1 for f in os.listdir(self.dir) if f.endswith(".eml"))

    def messages(self):
        out = []
        for f in sorted(os.listdir(self.dir)):
            if not f.endswith(".eml"):
                continue
            with open(os.path.join(self.dir, f), "rb") as fh:
                m = email.message_from_binary_file(fh)
            out.append((m["X-Envelope-To"], m["Message-ID"]))
        return out

    def stop(self):
        self.proc.terminate(); self.proc.wait(timeout=10)


def run(binary, env, *args, check=True):
    r = subprocess.run([binary, *args], env=env, capture_output=True, text=True, timeout=600)
    if check and r.returncode != 0:
        raise SystemExit("%s %s failed:\n%s%s" % (os.path.basename(binary), " ".join(args), r.stdout, r.stderr))
    return r.stdout


def roster(path, n, prefix):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Full name", "Category", "E-mail", "Languages"])
        for i in range(n):
            w.writerow(["%s %04d" % (prefix, i), "delegate", "%s.%04d@drill.bearing.test" % (prefix.lower(), i),
                        ["en", "fr", "ar", "es"][i % 4]])


def prepare(binary, env, n, prefix, folder):
    run(binary, env, "demo")
    path = os.path.join(folder, "roster.csv")
    roster(path, n, prefix)
    print("  " + run(binary, env, "import", "people", path, "--operation", "SDN-DEMO").splitlines()[0])


def send(binary, env, prefix):
    out = run(binary, env, "alerts", "send", "--operation", "SDN-DEMO", "--everyone", "--title", "%s alert" % prefix,
              "--text", "Drill: answer with the link.", "--translation", "ar|تمرين|أجيبوا عبر الرابط",
              "--severity", "moderate", "--category", "other", "--channel", "email")
    print("  " + out.strip())
    number = int(re.search(r"Alert #(\d+)", out).group(1))
    queued = int(re.search(r"(\d+) message\(s\) queued", out).group(1))
    return number, queued


def sql(env, query):
    """One number from the database, through its own shell."""
    if "DATABASE_URL" in env:
        r = subprocess.run(["psql", env["DATABASE_URL"], "-tAc", query], capture_output=True, text=True, check=True)
    else:
        r = subprocess.run(["sqlite3", os.path.join(env["BEARING_DATA_DIR"], "bearing.sqlite"), query],
                           capture_output=True, text=True, check=True)
    return int(r.stdout.strip() or 0)


def states(env, number):
    q = ("SELECT COUNT(*) FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id "
         "WHERE a.number = %d AND d.state = '%s'")
    return {s: sql(env, q % (number, s)) for s in ("queued", "sent", "failed")}


def wait_until(predicate, seconds, what):
    end = time.time() + seconds
    while time.time() < end:
        if predicate():
            return
        time.sleep(0.2)
    raise SystemExit("timed out waiting for " + what)


def check_one_each(sink, prefix, expected, raw_exact):
    got = [(to, mid) for to, mid in sink.messages() if to and to.startswith(prefix.lower() + ".")]
    by = collections.defaultdict(list)
    for to, mid in got:
        by[to].append(mid)
    problems = []
    if len(by) != expected:
        problems.append("%d of %d recipients got the message" % (len(by), expected))
    several = {to: mids for to, mids in by.items() if len(set(mids)) != 1}
    if several:
        problems.append("%d recipients got different messages: %s" % (len(several), list(several)[:3]))
    copies = sum(len(m) - 1 for m in by.values())
    if raw_exact and copies:
        problems.append("%d raw copies" % copies)
    return problems, copies


def drill_kill(binary, n):
    print("drill 1: kill -9 in the middle of an alert to %d people (SQLite)" % n)
    folder = tempfile.mkdtemp(prefix="drill-")
    sink = Sink()
    env = dict(os.environ, BEARING_DATA_DIR=folder, BEARING_JOB_LEASE_SECONDS="3", **sink.env())
    env.pop("DATABASE_URL", None)
    try:
        prepare(binary, env, n, "Drill", folder)
        number, queued = send(binary, env, "Drill")
        worker = subprocess.Popen([binary, "jobs", "work"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: sink.count() >= queued // 3, 120, "a third of the messages")
        worker.send_signal(signal.SIGKILL); worker.wait()
        at_kill = sink.count()
        held = sql(env, "SELECT COUNT(*) FROM jobs WHERE state = 'running'")
        print("  killed the worker with SIGKILL after %d messages; %d jobs were in its hands" % (at_kill, held))
        worker = subprocess.Popen([binary, "jobs", "work"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: states(env, number)["queued"] == 0, 240, "every message to be sent")
        finally:
            worker.terminate(); worker.wait(timeout=30)
        s = states(env, number)
        problems, copies = check_one_each(sink, "Drill", n, raw_exact=False)
        if s["sent"] != queued:
            problems.append("the database says %d of %d sent (%s)" % (s["sent"], queued, s))
        print("  %d sent, %d recipients, %d raw copies (same Message-ID)" % (s["sent"], n, copies))
        return problems
    finally:
        sink.stop()


def drill_two_servers(binary, n, pg_url):
    print("drill 2: two servers on one PostgreSQL share an alert to %d people" % n)
    db = "bearing_alert_drill"
    subprocess.run(["psql", pg_url, "-qc", "DROP DATABASE IF EXISTS %s" % db], check=True, capture_output=True)
    subprocess.run(["psql", pg_url, "-qc", "CREATE DATABASE %s" % db], check=True, capture_output=True)
    url = pg_url.rsplit("/", 1)[0] + "/" + db
    folder = tempfile.mkdtemp(prefix="drill-pg-")
    sink = Sink()
    env = dict(os.environ, DATABASE_URL=url, BEARING_DATA_DIR=folder, **sink.env())
    servers = []
    try:
        run(binary, env, "migrate")
        prepare(binary, env, n, "Twin", folder)
        for _ in range(2):
            port = free_port()
            servers.append((subprocess.Popen([binary, "serve", "--port", str(port)], env=env,
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), port))
        for proc, port in servers:
            wait_until(lambda: _health(port), 60, "server on %d" % port)
        number, queued = send(binary, env, "Twin")
        wait_until(lambda: states(env, number)["queued"] == 0, 240, "every message to be sent")
        time.sleep(1)
        problems, copies = check_one_each(sink, "Twin", n, raw_exact=True)
        workers = sql(env, "SELECT COUNT(DISTINCT worker) FROM jobs WHERE kind = 'alert.deliver' AND state = 'done' "
                           "AND worker <> 'demo'")
        s = states(env, number)
        if s["sent"] != queued:
            problems.append("the database says %d of %d sent" % (s["sent"], queued))
        if workers < 2:
            problems.append("only %d worker took part" % workers)
        print("  %d sent by %d workers, %d raw copies" % (s["sent"], workers, copies))
        return problems
    finally:
        for proc, _ in servers:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        sink.stop()


def _health(port):
    try:
        return urllib.request.urlopen("http://127.0.0.1:%d/health" % port, timeout=2).status == 200
    except Exception:
        return False


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--people", type=int, default=500)
    p.add_argument("--pg-url")
    a = p.parse_args()
    problems = drill_kill(a.bin, a.people)
    if a.pg_url:
        problems += drill_two_servers(a.bin, a.people, a.pg_url)
    else:
        print("drill 2 skipped: no --pg-url")
    for problem in problems:
        print("FAIL: " + problem)
    print("alert drills: %s" % ("passed" if not problems else "failed"))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
