"""What an operator reads: the request id, log lines as JSON, the id carried into Celery tasks, Sentry.

* ``RequestIdMiddleware``: the client's ``X-Request-ID`` when it is a safe token, else a new one; kept in
  ``log_context.request_id`` for the request and echoed in the response's ``X-Request-ID``. Once the user is
  known (``process_view``, after authentication), their pk is kept in ``log_context.user_id``. Every 403
  (a ``PermissionDenied`` of the staff site, the console, a task's page, a CSRF failure) is logged as the
  security event ``access.refused`` (``authority.refused``).
* Celery: ``stamp_published`` (``before_task_publish``) writes the request id and the publishing time in the
  message headers; ``enter_task``/``leave_task`` (``task_prerun``/``task_postrun``) set and clear the request
  id in the worker. ``backoffice/celery.py`` connects them. The outbox stores the id with each message it
  relays later (``outbox.services.publish``).
* ``JsonFormatter``: one JSON object per line (timestamp, level, logger, message, request_id, user_id,
  request_ref, the record's extra fields, exc_info); ``TextFormatter`` the same fields on one readable line.
  ``LOG_FORMAT`` in settings chooses.
* ``init_sentry``: only when ``SENTRY_DSN`` is set; events pass through the same token redaction as log lines.

Security events are ordinary records on the ``security`` logger with an ``event`` field
(``extra={"event": "login.failed", ...}``).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import log_context
from backoffice.security import redact_tokens

#: The attributes every LogRecord has: anything else on a record was passed in ``extra``.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
#: Extras Django adds that are objects, not facts (the request's path is in the message already).
_SKIPPED_EXTRAS = frozenset({"request", "server_time"})
REQUEST_ID_HEADER = "X-Request-ID"
#: Paths a load balancer or a scraper calls: no user to look up (no session read).
_PROBE_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that every response (redirects and errors included) carries the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = log_context.safe_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        id_token = log_context.request_id.set(request.request_id)
        user_token = log_context.user_id.set(None)
        try:
            response = self.get_response(request)
            if response.status_code == 403:  # PermissionDenied, wherever raised (a view, a middleware, Viewflow's site)
                import authority  # here, not at the top: settings import this module before the apps are ready

                authority.refused(getattr(request, "user", None), action=request.method, target=request.path_info)
        finally:
            log_context.request_id.reset(id_token)
            log_context.user_id.reset(user_token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info in _PROBE_PATHS:
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            log_context.user_id.set(user.pk)
        return None


# -- Celery ----------------------------------------------------------------------------------------


def stamp_published(headers=None, **kwargs) -> None:
    """``before_task_publish``: the request id being served (unless the sender set one: the outbox relay does)
    and the time of publishing (a heartbeat's "beat sent it at")."""
    if headers is None:
        return
    request_id = log_context.request_id.get()
    if request_id and not headers.get("request_id"):
        headers["request_id"] = request_id
    headers.setdefault("published_at", datetime.now(UTC).isoformat())


def enter_task(task=None, task_id=None, **kwargs) -> None:
    """``task_prerun`` in a worker: the message's request id (its task id when it came with none)."""
    if task is None or task.request.is_eager:  # an eager task runs inside its caller's request
        return
    carried = getattr(task.request, "request_id", None) or (task.request.headers or {}).get("request_id")
    log_context.request_id.set(log_context.safe_request_id(carried or task_id))
    log_context.user_id.set(None)


def leave_task(task=None, **kwargs) -> None:
    """``task_postrun``: the next task on this worker starts with no id."""
    if task is None or task.request.is_eager:
        return
    log_context.request_id.set("")
    log_context.user_id.set(None)


# -- log lines -------------------------------------------------------------------------------------


def _fields(record: logging.LogRecord) -> dict:
    fields = {
        # django.request logs a response after the middleware has ended: the request it passes carries the id.
        "request_id": (
            getattr(record, "request_id", None)
            or getattr(getattr(record, "request", None), "request_id", None)
            or log_context.request_id.get()
            or None
        ),
        "user_id": log_context.user_id.get(),
        "request_ref": getattr(record, "request_ref", None) or None,
    }
    for key, value in vars(record).items():
        if key in _RECORD_ATTRIBUTES or key in _SKIPPED_EXTRAS or key in fields:
            continue
        fields[key] = (
            value
            if isinstance(value, (int, float, bool, type(None)))
            else redact_tokens(value if isinstance(value, str) else str(value))
        )
    return fields


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """One JSON object per line. Redaction of the message is the ``redact_tokens`` filter's; extras and
    tracebacks are redacted here (they do not pass through that filter)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "timestamp": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        } | _fields(record)
        if record.exc_info:
            entry["exc_info"] = redact_tokens(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack_info"] = redact_tokens(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``2026-01-31T09:00:00.123Z INFO logger [request id] message key=value ...``: the JSON fields, for people."""

    def format(self, record: logging.LogRecord) -> str:
        fields = _fields(record)
        request_id = fields.pop("request_id") or "-"
        extras = " ".join(f"{key}={value}" for key, value in fields.items() if value is not None)
        line = f"{_timestamp(record)} {record.levelname} {record.name} [{request_id}] {record.getMessage()}"
        line = f"{line} {extras}" if extras else line
        if record.exc_info:
            line += "\n" + redact_tokens(self.formatException(record.exc_info))
        return line


# -- Sentry ----------------------------------------------------------------------------------------


def _redacted(value):
    if isinstance(value, str):
        return redact_tokens(value)
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redacted(item) for item in value]
    return value


def redact_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry's ``before_send``: every string of the event with the secrets of e-mailed links redacted."""
    return _redacted(event)


def init_sentry(dsn: str, *, environment: str = "", release: str = "") -> None:
    """Report errors of the web and the workers to Sentry (imported only when a DSN is set)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        send_default_pii=False,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=redact_event,
        before_send_transaction=redact_event,
    )
