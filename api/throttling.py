"""Rate limits per token: ``API_RATE_READ`` for reads, ``API_RATE_WRITE`` for changes (e.g. "120/min"). An OAuth
app's tokens for one person share one bucket (a refresh does not start a new count).

Counted where ``accounts.throttle`` counts the guessable secrets -- ``FailedAttempt`` rows in the database, which
every web node shares (the project has no shared cache) -- and by the same rule: a call is counted *before* it
is let through, committed at once, then the committed rows are counted, so concurrent calls on several nodes
see each other. A refused call does not count. Housekeeping (``throttle.purge_stale``) deletes the old rows.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from accounts.models import FailedAttempt

from .authentication import Credential


class TokenRateThrottle(BaseThrottle):
    def __init__(self) -> None:
        self.wait_seconds: float | None = None

    def allow_request(self, request, view) -> bool:
        credential = request.auth
        if not isinstance(credential, Credential):
            return True  # nothing reaches a view without a token (TokenScope)
        kind = "read" if request.method in SAFE_METHODS else "write"
        limit, seconds = SimpleRateThrottle.parse_rate(
            None, settings.API_RATE_READ if kind == "read" else settings.API_RATE_WRITE
        )
        scope, key = f"api_{kind}", credential.bucket
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # The row is seen by every node at COMMIT either way; not waiting for it to reach the disk costs, on a
                # crash, a few calls of the last moment uncounted -- not the several milliseconds of a flush per call.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            row = FailedAttempt.objects.create(scope=scope, key=key)
        since = timezone.now() - timedelta(seconds=seconds)
        counted = FailedAttempt.objects.filter(scope=scope, key=key, at__gte=since)
        if counted.count() <= limit:
            return True
        row.delete()
        oldest = counted.order_by("at").values_list("at", flat=True).first()
        self.wait_seconds = max(1.0, (oldest - since).total_seconds()) if oldest else float(seconds)
        return False

    def wait(self) -> float | None:
        return self.wait_seconds
