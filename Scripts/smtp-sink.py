#!/usr/bin/env python3
"""A real SMTP server for the alert tests and CI (aiosmtpd): STARTTLS with a self-signed
certificate made at start, AUTH PLAIN/LOGIN with one account, and every message accepted written
as a file to a folder (one .eml each, named by arrival), so tests read back what was delivered.

Usage: smtp-sink.py --port 2525 --dir /tmp/mail --user bearing --password secret [--refuse ADDR]...
Prints "ready <port> <certfile>" when it accepts connections. --refuse makes RCPT TO of that
address fail with 550, as a real server refuses an unknown mailbox.
"""
import argparse, signal, asyncio, os, ssl, subprocess, sys, tempfile, time, itertools

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def make_certificate(folder):
    key, cert = os.path.join(folder, "key.pem"), os.path.join(folder, "cert.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True)
    return key, cert


class Sink:
    def __init__(self, folder, refuse):
        self.folder, self.refuse, self.counter = folder, set(refuse), itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        n = next(self.counter)
        name = os.path.join(self.folder, "%d-%06d.eml" % (os.getpid(), n))
        with open(name + ".part", "wb") as f:
            f.write(("X-Envelope-To: %s\r\n" % ",".join(envelope.rcpt_tos)).encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".part", name)
        return "250 Message accepted"


def main():
    # Started by a test process whose threads may block SIGTERM, a child inherits that mask: undo
    # it, so that the test can stop us.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=2525)
    p.add_argument("--dir", required=True)
    p.add_argument("--user", default="bearing")
    p.add_argument("--password", default="bearing-smtp-test")
    p.add_argument("--refuse", action="append", default=[])
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    key, cert = make_certificate(tempfile.mkdtemp())
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == a.user \
            and auth_data.password.decode() == a.password
        return AuthResult(success=ok)

    controller = Controller(
        Sink(a.dir, a.refuse), hostname="127.0.0.1", port=a.port, tls_context=context, require_starttls=True,
        authenticator=authenticate, auth_required=True, auth_require_tls=True)
    controller.start()
    print("ready %d %s" % (a.port, cert), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
