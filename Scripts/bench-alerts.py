#!/usr/bin/env python3
"""Alert delivery benchmarks (BENCHMARKS.md, issue 17), with the real SMTP server the tests use
(Scripts/smtp-sink.py: aiosmtpd, STARTTLS, AUTH, one file per message).

1. An alert to PEOPLE recipients (default 2,000) on SQLite, delivered by one `bearing jobs work --once`:
   the time until all are sent and the worker's peak memory (/usr/bin/time), beside the floor measured
   in the same run: Python's smtplib sending the same number of messages of the same size to the same
   server over one STARTTLS connection (what the server itself takes).
2. Job throughput with two workers (`bearing jobs work --once` twice at once) on SQLite, and on
   PostgreSQL when PG_URL is set: messages sent per second, and as a share of the floor.

Usage, after `swift build -c release --product bearing`, nothing else running:
  python3 Scripts/bench-alerts.py [PEOPLE]
  PG_URL=postgres://postgres@127.0.0.1:5433/postgres python3 Scripts/bench-alerts.py
"""
import os, smtplib, ssl, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, ".ci"))
import alert_drill as drill  # noqa: E402

BIN = os.environ.get("BIN", os.path.join(ROOT, ".build/release/bearing"))
PEOPLE = int(sys.argv[1]) if len(sys.argv) > 1 else 2000


def floor(sink, n, size):
    """smtplib: n messages of `size` bytes over one STARTTLS connection, as the sink takes them."""
    context = ssl.create_default_context(cafile=sink.cert)
    # Base64-like lines of 76 characters, as Bearing's messages are.
    body = "Subject: floor\r\nMessage-ID: <%d@floor>\r\n\r\n" + "\r\n".join(["x" * 76] * max(1, (size - 60) // 78))
    start = time.time()
    with smtplib.SMTP("127.0.0.1", sink.port) as s:
        s.starttls(context=context)
        s.login("bearing", "bearing-smtp-test")
        for i in range(n):
            s.sendmail("floor@bench.test", ["floor.%05d@bench.test" % i], body % i)
    return time.time() - start


def workers(env, count):
    """`count` workers with --once at once; wall time and the largest peak RSS (KiB)."""
    start = time.time()
    procs = [subprocess.Popen(["/usr/bin/time", "-f", "%M", BIN, "jobs", "work", "--once"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(count)]
    peaks = []
    for p in procs:
        _, err = p.communicate(timeout=1800)
        peaks.append(int(err.strip().splitlines()[-1]))
    return time.time() - start, max(peaks)


def case(label, env, folder, count, sink, floor_seconds):
    drill.prepare(BIN, env, PEOPLE, "Bench", folder)
    number, queued = drill.send(BIN, env, "Bench")
    seconds, peak = workers(env, count)
    s = drill.states(env, number)
    assert s["queued"] == 0, s
    rate = s["sent"] / seconds
    floor_rate = PEOPLE / floor_seconds
    print("| %s | %d | %d | %.1f s | %.0f msg/s | %.0f %% of the floor | %.0f MiB |" % (
        label, count, s["sent"], seconds, rate, 100 * rate / floor_rate, peak / 1024))


def main():
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    print("## alert delivery, %s, %d cores, commit %s, %d recipients" % (
        time.strftime("%Y-%m-%d", time.gmtime()), os.cpu_count(), commit, PEOPLE))
    sink = drill.Sink()
    try:
        # About the size of one of Bearing's messages (printed at the end, as received).
        floor_seconds = floor(sink, PEOPLE, 1400)
        print("floor: smtplib, %d messages over one STARTTLS connection: %.1f s (%.0f msg/s)" % (
            PEOPLE, floor_seconds, PEOPLE / floor_seconds))
        print("| database | workers | messages sent | time until all sent | rate | share of the floor | peak memory per worker |")
        print("|---|---|---|---|---|---|---|")
        for count in (1, 2):
            folder = tempfile.mkdtemp(prefix="bench-alerts-")
            env = dict(os.environ, BEARING_DATA_DIR=folder, **sink.env())
            env.pop("DATABASE_URL", None)
            case("SQLite", env, folder, count, sink, floor_seconds)
        pg = os.environ.get("PG_URL")
        if pg:
            url = pg.rsplit("/", 1)[0] + "/bearing_bench_alerts"
            subprocess.run(["psql", pg, "-qc", "DROP DATABASE IF EXISTS bearing_bench_alerts"], check=True)
            subprocess.run(["psql", pg, "-qc", "CREATE DATABASE bearing_bench_alerts"], check=True)
            folder = tempfile.mkdtemp(prefix="bench-alerts-pg-")
            env = dict(os.environ, DATABASE_URL=url, BEARING_DATA_DIR=folder, **sink.env())
            drill.run(BIN, env, "migrate")
            case("PostgreSQL", env, folder, 2, sink, floor_seconds)
        sizes = []
        for f in os.listdir(sink.dir):
            path = os.path.join(sink.dir, f)
            with open(path, errors="replace") as fh:
                if f.endswith(".eml") and fh.readline().startswith("X-Envelope-To: bench."):
                    sizes.append(os.path.getsize(path))
        print("Bearing's messages as received: %d bytes on average" % (sum(sizes) / max(1, len(sizes))))
    finally:
        sink.stop()


if __name__ == "__main__":
    main()
