"""The webhook signature, as the sender computes it and as a receiver checks it (``docs/webhooks.md``).

Plain Python, no Django: a receiver may copy this file. The signature is
``X-Webhook-Signature: v1=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>`` with the Unix time of the attempt
in ``X-Webhook-Timestamp``; a receiver refuses a timestamp further than ``tolerance`` seconds from its clock
(a replayed request) and compares in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SCHEME = "v1"


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    """The header value for ``body`` sent at ``timestamp``: ``v1=<hex>``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def verify_signature(
    secret: str, timestamp: str, body: bytes, header: str, tolerance: int = 300, now: float | None = None
) -> bool:
    """True when ``header`` signs ``body`` at ``timestamp`` with ``secret``, and ``timestamp`` is within
    ``tolerance`` seconds of ``now`` (the receiver's clock). ``header`` may carry several ``v1=`` values,
    separated by commas or spaces: one matching is enough."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance:
        return False
    expected = signature(secret, sent_at, body)
    candidates = [part.strip() for part in (header or "").replace(",", " ").split() if part.strip()]
    return any(hmac.compare_digest(expected.encode(), candidate.encode()) for candidate in candidates)
