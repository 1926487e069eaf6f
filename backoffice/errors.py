"""What a person sees when a request fails: the one place that names the failure and answers it.

A part we depend on being down or full -- the documents storage (a full or read-only disk, S3 refusing
or timing out), the database, the broker -- is not the person's doing and not a bug: they get a 503 page
in their language saying what happened, that nothing was lost and to try again in a few minutes, with
``Retry-After``; the event is logged at ERROR with the exception and its code. Whether a failure is the
infrastructure's is :func:`faults.is_transient`'s decision; this module only says which part.

Anything else is a bug: our own 500 page (``handler500``), also in the person's language.

Both pages are rendered without the database (no context processors: no session, no user, no
messages), since the database may be what failed; if even that fails, a plain page built here.
"""

from __future__ import annotations

import errno
import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from faults import is_transient

logger = logging.getLogger(__name__)

STORAGE_FULL = "storage_full"
STORAGE_UNAVAILABLE = "storage_unavailable"
DATABASE_UNAVAILABLE = "database_unavailable"
BROKER_UNAVAILABLE = "broker_unavailable"

#: "Try again in a few minutes", for clients and proxies.
RETRY_AFTER_SECONDS = 300

_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_UNWRITABLE_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO}
# Told apart by the library that raised them, so that none of these optional clients has to be importable here.
_STORAGE_LIBRARIES = {"botocore", "boto3", "s3transfer"}
_BROKER_LIBRARIES = {"kombu", "amqp", "redis"}

_DOCUMENTS_TITLE = _("We could not save or open your document right now")
_NOTHING_LOST_DOCUMENTS = _(
    "Nothing was lost: the documents we already had are safe. In a few minutes, open your request "
    "again to see which files arrived, and send again any that are missing."
)
_PAGES = {
    STORAGE_FULL: (_DOCUMENTS_TITLE, _("Our document store is full at the moment."), _NOTHING_LOST_DOCUMENTS),
    STORAGE_UNAVAILABLE: (
        _DOCUMENTS_TITLE,
        _("Our document store is not responding at the moment."),
        _NOTHING_LOST_DOCUMENTS,
    ),
    DATABASE_UNAVAILABLE: (
        _("The customer area is not available right now"),
        _("Our records cannot be reached at the moment, so nothing you sent was saved."),
        _("Nothing was lost: everything you had done before is safe."),
    ),
    BROKER_UNAVAILABLE: (
        _("We could not finish what you asked right now"),
        _("One of our systems is not responding at the moment, so we could not pass your request on."),
        _(
            "Nothing was lost. Before you try again, check whether your change is shown; if it is, there is no need to repeat it."
        ),
    ),
}


def classify(exc: BaseException | None) -> str | None:
    """The code of the part that failed (``storage_full``, ``storage_unavailable``, ``database_unavailable``,
    ``broker_unavailable``), or None when ``exc`` is not a part being down (a bug: a 500).

    Follows the exception's cause chain: boto3 raises its upload error while handling botocore's.
    """
    seen = 0
    while exc is not None and seen < 8:
        code = _part(exc) if is_transient(exc) else None
        if code is not None:
            return code
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
        seen += 1
    return None


def _part(exc: BaseException) -> str | None:
    if isinstance(exc, (OperationalError, InterfaceError)):
        return DATABASE_UNAVAILABLE
    library = type(exc).__module__.partition(".")[0]
    if library in _BROKER_LIBRARIES:
        return BROKER_UNAVAILABLE
    if library in _STORAGE_LIBRARIES:
        return STORAGE_UNAVAILABLE
    if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
        return STORAGE_FULL
    if isinstance(exc, OSError) and exc.errno in _UNWRITABLE_ERRNOS:
        return STORAGE_UNAVAILABLE
    return None


class FailingWellMiddleware:
    """Turns a view's storage, database or broker failure into the 503 page (``unavailable``).

    Failures raised by other middleware (the session or the user loaded from a database that is down)
    never reach ``process_exception``: ``server_error`` (handler500) answers those the same way.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        code = classify(exception)
        if code is None:
            return None  # a bug: Django logs it and renders server_error
        logger.error("%s: %s %s", code, request.method, request.path, exc_info=exception)
        return unavailable(request, code)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 page when the failure is a part being down (raised outside a view), else our 500 page.

    Django has already logged the exception (``django.request``, ERROR, with the traceback).
    """
    code = classify(sys.exc_info()[1])
    if code is not None:
        logger.error("%s: %s %s (raised outside the view)", code, request.method, request.path)
        return unavailable(request, code)
    with _language_of(request):
        response = _page(request, "500.html", {"title": gettext("Something went wrong on our side")}, status=500)
    add_never_cache_headers(response)
    return response


def unavailable(request: HttpRequest, code: str) -> HttpResponse:
    """The 503 page for ``code``, in the person's language, with ``Retry-After``."""
    title, what_happened, nothing_lost = _PAGES[code]
    with _language_of(request):
        context = {
            "title": str(title),
            "what_happened": str(what_happened),
            "nothing_lost": str(nothing_lost),
            "code": code,
        }
        response = _page(request, "errors/unavailable.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["X-Failure-Code"] = code  # which part was down, for whoever reads the proxy's or a client's log
    add_never_cache_headers(response)
    return response


def _language_of(request: HttpRequest):
    """The language LocaleMiddleware chose (cookie, then Accept-Language), also when it has not run yet."""
    return translation.override(
        getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)
    )


def _page(request: HttpRequest, template: str, context: dict, *, status: int) -> HttpResponse:
    # No request passed to the template: context processors would read the session, the user and the
    # messages, all from the database. The base template gets what it needs from here instead.
    context = {
        **context,
        "request": request,
        "csrf_token": get_token(request),
        "service_phones": settings.CUSTOMER_SERVICE_PHONES_TEXT,
    }
    try:
        html = render_to_string(template, context)
    except Exception:
        logger.exception("the error page %s could not be rendered; sending the plain one", template)
        html = _plain_page(context)
    return HttpResponse(html, status=status)


def _plain_page(context: dict) -> str:
    return format_html(
        '<!doctype html><html lang="{}"><meta charset="utf-8"><title>{}</title><h1>{}</h1><p>{}</p><p>{}</p><p>{}</p></html>',
        translation.get_language(),
        context["title"],
        context["title"],
        context.get("what_happened", ""),
        context.get("nothing_lost", ""),
        gettext("Please try again in a few minutes."),
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: our page, in the person's language (Viewflow's own 404 template is English and off-brand)."""
    with _language_of(request):
        return _page(request, "404.html", {"title": gettext("Page not found")}, status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403: our page, in the person's language."""
    with _language_of(request):
        return _page(request, "403.html", {"title": gettext("You cannot open this page")}, status=403)
