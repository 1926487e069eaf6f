"""Every API error in one shape, in the caller's language (Accept-Language: ca, es or en):

    {"error": {"code": "not_found", "message": "...", "fields": {"field": ["..."]}}}

``code`` is stable (software branches on it); ``message`` is for people; ``fields`` names the input at fault
(empty when none). 429 also carries ``Retry-After``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

import authority


class ApiError(exceptions.APIException):
    """An error a view raises with its own code and message (a service's refusal, a bad filter)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(
        self,
        message,
        *,
        code: str = "invalid",
        status_code: int = 400,
        fields: dict | None = None,
        wait: int | None = None,
    ):
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.fields = fields or {}
        self.wait = wait  # seconds: DRF sends them as Retry-After (a 429 always says when to come back)


NOT_FOUND = gettext_lazy("Not found, or not yours to see.")
INVALID = gettext_lazy("Some of the data is not valid. See the fields.")


def error_body(code: str, message, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail) -> dict:
    """DRF's validation detail as {field: [messages]} (nested fields joined with dots)."""
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in detail]}
    fields: dict[str, list[str]] = {}
    for name, value in detail.items():
        if isinstance(value, dict):
            fields.update({f"{name}.{key}": messages for key, messages in _flatten(value).items()})
        else:
            fields[name] = [str(item) for item in (value if isinstance(value, list) else [value])]
    return fields


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's 500, logged
    request = context.get("request")
    if isinstance(exc, exceptions.NotFound):
        code, message, fields = "not_found", NOT_FOUND, {}
    elif isinstance(exc, exceptions.ValidationError):
        code, message, fields = "invalid", INVALID, _flatten(exc.detail)
    elif isinstance(exc, exceptions.Throttled):
        code, message, fields = "throttled", _too_many(exc.wait), {}
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        message, fields = exc.detail, getattr(exc, "fields", {})
    if isinstance(exc, exceptions.PermissionDenied) and request is not None:
        authority.refused(request.user, action=request.method, target=request.path)
    response.data = error_body(str(code), message, fields)
    return response


def _too_many(wait) -> str:
    if wait is None:
        return _("Too many calls with this token. Try again later.")
    seconds = max(1, round(wait))
    return ngettext(
        "Too many calls with this token. Try again in %(seconds)d second.",
        "Too many calls with this token. Try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


def not_found_view(request, *args, **kwargs):
    """Any other address under the API: the same 404 as for an object one may not see."""
    return JsonResponse(error_body("not_found", NOT_FOUND), status=404)
