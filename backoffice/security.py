"""Web hardening that applies to every response and every log line, whatever the view.

* ``TOKEN_PATH``: the links e-mailed to people carry a secret in their path (invitations, upload
  and objection links, registration and e-mail confirmations, password resets). One pattern finds
  them, for the log filter and for the cache rule below.
* ``RedactTokensFilter``: a logging filter that replaces those secrets with ``[redacted]``, so a
  4xx on a live link ("Bad Request: /invitation/...") never writes the token to the log.
* ``PrivateCacheMiddleware``: ``Cache-Control: no-store, private`` on every response to a logged-in
  user and on every page reached through such a link.

The Content-Security-Policy header itself is set by django-csp (``CONTENT_SECURITY_POLICY`` in
settings); a view that sets its own, stricter header (document files) keeps it.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.utils.cache import patch_cache_control

REDACTED = "[redacted]"

# A path separator as written in a path, or percent-encoded in a ``next=`` parameter.
_SEP = r"(?:/|%2[Ff])"
_SEGMENT = r"[^/%?#&\s\"']+"
TOKEN_PATH = re.compile(
    rf"(?P<prefix>{_SEP}(?:invitation|register{_SEP}confirm|profile{_SEP}email"
    rf"|(?:upload|object){_SEP}{_SEGMENT}|password{_SEP}reset{_SEP}(?!done{_SEP}){_SEGMENT}){_SEP})"
    rf"(?!set-password(?:{_SEP}|$)){_SEGMENT}"
)


def redact_tokens(text: str) -> str:
    """``text`` with the secret segment of every e-mailed link replaced by ``[redacted]``."""
    return TOKEN_PATH.sub(lambda match: match["prefix"] + REDACTED, text)


def _redacted(value):
    return redact_tokens(value) if isinstance(value, str) else value


class RedactTokensFilter(logging.Filter):
    """Rewrites a record's message and arguments so no link secret reaches a handler.

    Attached to the loggers that write request paths (``django.request``, ``django.server``,
    ``django.security.csrf``) and to the console handler; it never drops a record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redacted(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redacted(value) for value in record.args)
        return True


class PrivateCacheMiddleware:
    """``Cache-Control: no-store, private`` for logged-in users and for pages opened through a link secret.

    Goes after AuthenticationMiddleware. Static files are left to their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or TOKEN_PATH.search(request.path_info):
            patch_cache_control(response, no_store=True, private=True)
        return response
