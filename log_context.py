"""What every log line and every message sent from here carries: the id of the web request (or task) it serves,
and the logged-in user's pk.

A neutral module so that any app can read them without importing the web layer: ``backoffice.observability``
sets them for a web request and in a Celery worker (from the message's ``request_id`` header), the JSON log
formatter writes them, and ``outbox`` stores the request id on each message it publishes.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="")
user_id: ContextVar[int | None] = ContextVar("user_id", default=None)

#: A request id taken from outside (a header, a message) only when it is a short, harmless token.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def safe_request_id(raw: str | None) -> str:
    """``raw`` when it is a safe token (at most 64 of ``A-Z a-z 0-9 . _ -``), else a new random id."""
    if raw and SAFE_REQUEST_ID.fullmatch(raw):
        return raw
    return uuid.uuid4().hex
