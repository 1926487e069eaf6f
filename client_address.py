"""Where a web request comes from: shared by the customer area, the staff site and the call center."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    """The caller's address; X-Forwarded-For is trusted only for the configured number of proxies."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")
