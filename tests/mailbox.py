"""Reading the e-mails a test caused (locmem backend): the links in them carry the only copy of a token."""

from __future__ import annotations

import re

from django.core import mail


def to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def link_path(address: str, prefix: str) -> str:
    """The path of the newest link starting with ``prefix`` (e.g. "/invitation/") e-mailed to ``address``."""
    for message in reversed(to(address)):
        found = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"\S+/)", message.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no {prefix} link e-mailed to {address}")


def token(address: str, prefix: str) -> str:
    """The last path segment of that link."""
    return link_path(address, prefix).rstrip("/").rsplit("/", 1)[-1]
