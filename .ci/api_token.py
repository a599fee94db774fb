#!/usr/bin/env python3
"""Prints a personal API token for a demo account, made as a person would: sign in, then
create the token on the account page (which asks for the password again).
Usage: api_token.py BASE_URL EMAIL PASSWORD"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Scripts"))
from drill_common import api_token  # noqa: E402  (the drills make theirs the same way)

base, email, password = sys.argv[1:4]
print(api_token(base, email, password, name="schemathesis"))
