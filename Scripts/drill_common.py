"""What the drills (Scripts/drill-*.py) share: a bearing server of their own on SQLite or
PostgreSQL, the bearing binary's commands, a number from the database through its own shell, and an
API token made as a person makes one. Each drill prints PASS/FAIL lines and exits 1 when a check fails.
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Database:
    """A fresh database: a data folder for SQLite, or a new database on the PostgreSQL server of
    `pg_url` (its URL ending in /postgres or another existing database)."""

    def __init__(self, name, pg_url=None):
        self.pg_url = pg_url
        if pg_url:
            admin = pg_url
            self.url = pg_url.rsplit("/", 1)[0] + "/" + name
            subprocess.run(["psql", admin, "-qc", "DROP DATABASE IF EXISTS %s" % name], check=True,
                           capture_output=True)
            subprocess.run(["psql", admin, "-qc", "CREATE DATABASE %s" % name], check=True, capture_output=True)
            self.env = dict(os.environ, DATABASE_URL=self.url, BEARING_DATA_DIR=tempfile.mkdtemp(prefix="drill-"))
        else:
            self.dir = tempfile.mkdtemp(prefix="drill-")
            self.file = os.path.join(self.dir, "bearing.sqlite")
            self.env = dict(os.environ, BEARING_DATA_DIR=self.dir)
            self.env.pop("DATABASE_URL", None)

    @property
    def kind(self):
        return "PostgreSQL" if self.pg_url else "SQLite"

    def rows(self, query):
        """Rows of text from the database's own shell (psql or sqlite3), '|' between columns."""
        if self.pg_url:
            command = ["psql", self.url, "-tAc", query]
        else:
            command = ["sqlite3", "-cmd", ".timeout 30000", self.file, query]
        r = subprocess.run(command, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("%s: %s" % (query, r.stderr.strip()))
        return [line.split("|") for line in r.stdout.splitlines() if line]

    def number(self, query):
        rows = self.rows(query)
        return int(rows[0][0]) if rows and rows[0][0] else 0

    def tables(self):
        if self.pg_url:
            return [r[0] for r in self.rows(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
        return [r[0] for r in self.rows(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1")]

    def counts(self):
        """Rows in every table: what a drill compares before and after."""
        names = self.tables()
        union = " UNION ALL ".join("SELECT '%s', COUNT(*) FROM \"%s\"" % (t, t) for t in names)
        return {r[0]: int(r[1]) for r in self.rows(union)}

    def opens_cleanly(self):
        """SQLite's own check of every page and index; PostgreSQL answers a query."""
        if self.pg_url:
            return self.rows("SELECT 1") == [["1"]], "answers"
        result = [r[0] for r in self.rows("PRAGMA integrity_check")]
        return result == ["ok"], ", ".join(result[:3])


def bearing(binary, env, *args, check=True, timeout=1800):
    r = subprocess.run([binary, *args], env=env, capture_output=True, text=True, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    if check and r.returncode != 0:
        raise SystemExit("bearing %s failed (%d):\n%s%s" % (" ".join(args), r.returncode, r.stdout[-2000:],
                                                           r.stderr[-2000:]))
    return r


class Server:
    """`bearing serve` on a port of its own, stopped at the end of the drill."""

    def __init__(self, binary, env, log, demo=False, extra_env=None):
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.log = open(log, "ab")
        args = [binary, "serve", "--port", str(self.port)] + (["--demo"] if demo else [])
        self.proc = subprocess.Popen(args, env=dict(env, **(extra_env or {})), stdout=self.log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.wait(180 if demo else 60)

    def wait(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            if self.proc.poll() is not None:
                raise SystemExit("the server stopped (exit %s); see %s" % (self.proc.returncode, self.log.name))
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("the server did not answer /health within %d s" % seconds)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def rss_kb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


def api_token(base, email, password, access="write", name="drill"):
    """A personal API token, made as a person makes one: sign in, then the account page."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def page(path, fields=None):
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        with opener.open(base + path, data=data, timeout=30) as answer:
            return answer.read().decode("utf-8", "replace")

    def csrf(html):
        return re.search(r'name="_csrf" value="([^"]+)"', html).group(1)

    page("/sign-in", {"email": email, "password": password, "_csrf": csrf(page("/sign-in")), "next": "/account"})
    answer = page("/account/tokens", {"name": name, "password": password, "access": access, "days": "1",
                                       "_csrf": csrf(page("/account"))})
    secret = re.search(r"brg_[0-9a-f]{64}", answer)
    if not secret:
        sys.exit(f"no token in the answer: {answer[:500]!r}")
    return secret.group(0)


class API:
    """JSON over one keep-alive connection (one per client thread)."""

    def __init__(self, base, token, timeout=60):
        parsed = urllib.parse.urlparse(base)
        self.host, self.port, self.token, self.timeout = parsed.hostname, parsed.port, token, timeout
        self.conn = None

    def call(self, method, path, body=None, headers=None):
        """(status, headers, parsed JSON or text); a dropped connection is opened again once."""
        data = json.dumps(body).encode() if body is not None else None
        h = {"Authorization": "Bearer " + self.token, "Accept": "application/json"}
        if data is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, "/api/v1" + path, body=data, headers=h)
                r = self.conn.getresponse()
                raw = r.read()
                break
            except (ConnectionError, http.client.HTTPException, socket.timeout) as error:
                self.conn.close()
                self.conn = None
                # A write that timed out may have been done: sent again, it could be counted twice. Reads,
                # and writes on a keep-alive connection the server had dropped, are sent again once.
                if attempt or (isinstance(error, socket.timeout) and method not in ("GET", "HEAD")):
                    raise
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return r.status, r.headers, parsed


class Checks:
    def __init__(self):
        self.failures = 0

    def check(self, ok, what):
        print("    %s %s" % ("PASS" if ok else "FAIL", what), flush=True)
        if not ok:
            self.failures += 1
        return ok

    def exit(self):
        print("%s: %d check(s) failed" % (os.path.basename(sys.argv[0]), self.failures) if self.failures
              else "%s: every check held" % os.path.basename(sys.argv[0]), flush=True)
        sys.exit(1 if self.failures else 0)
