"""Refusing an oversized request body before Django reads (and spools to disk) any of it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation

from .validation import max_bytes, too_large


def max_request_bytes() -> int:
    """The largest body accepted: one upload's worth of files plus the form fields around them."""
    return max_bytes() + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestBodyLimitMiddleware:
    """413 for a request whose declared ``Content-Length`` exceeds ``max_request_bytes()``.

    Runs before any middleware that reads ``request.POST``. A body without ``Content-Length``
    (chunked) is read by Django as empty, so the header is the whole story.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > max_request_bytes():
            # LocaleMiddleware has not run yet: pick the language it would.
            with translation.override(translation.get_language_from_request(request)):
                message = str(too_large(max_bytes()).message)
            response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"  # the unread body must not be taken for the next request
            return response
        return self.get_response(request)
