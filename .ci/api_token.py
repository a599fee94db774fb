#!/usr/bin/env python3
"""Prints a personal API token for a demo account, made as a person would: sign in, then
create the token on the account page (which asks for the password again).
Usage: api_token.py BASE_URL EMAIL PASSWORD"""
import re
import sys
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

base, email, password = sys.argv[1:4]
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def page(path, fields=None):
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    with opener.open(base + path, data=data, timeout=30) as answer:
        return answer.read().decode("utf-8", "replace")


def token(html):
    found = re.search(r'name="_csrf" value="([^"]+)"', html)
    if not found:
        sys.exit(f"no CSRF token on the page: {html[:300]!r}")
    return found.group(1)


page("/sign-in", {"email": email, "password": password, "_csrf": token(page("/sign-in")), "next": "/account"})
account = page("/account")
answer = page("/account/tokens", {"name": "schemathesis", "password": password, "access": "write", "days": "1",
                                   "_csrf": token(account)})
secret = re.search(r"brg_[0-9a-f]{64}", answer)
if not secret:
    sys.exit(f"no token in the answer: {answer[:500]!r}")
print(secret.group(0))
