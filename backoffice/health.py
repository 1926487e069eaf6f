"""Probes for load balancers and orchestrators, and the metrics a scraper reads.

* ``/healthz``: the process answers (no database, no broker): 200 ``{"status": "ok"}``.
* ``/readyz``: 200 when the node can do its work, else 503; always ``{"ready": bool, "checks": {...}}`` with one
  check per part -- database, broker, storage, Tesseract, a worker heartbeat per queue (``supervision.Heartbeat``,
  written by ``supervision.tasks.heartbeat``, which beat sends to every queue) and beat's last send. Each check
  is cheap and bounded: the broker's connect timeout (2 s), one ``exists()`` on the document store, Tesseract's
  languages read once per process.
* ``/metrics``: Prometheus text (``backoffice.metrics``), for a bearer of ``METRICS_TOKEN`` or an address in
  ``METRICS_ALLOWED_NETWORKS``; 404 to anyone else.

No session, no login, no redirect to https (``SECURE_REDIRECT_EXEMPT``).
"""

from __future__ import annotations

import hmac
import ipaddress
from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from client_address import client_ip

#: What ``exists()`` asks the document store for: the answer does not matter, that it comes does.
STORAGE_PROBE_NAME = "readyz-probe"


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    checks = {
        "database": _check(_database),
        "broker": _check(_broker),
        "storage": _check(_storage),
        "tesseract": _check(_tesseract),
    }
    checks |= _heartbeat_checks(database_ok=checks["database"]["ok"])
    ready = all(check["ok"] for check in checks.values())
    response = JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)
    # A node that is not ready is probed every few seconds: its 503 is an answer, not a server error for the log.
    response._has_been_logged = True
    return response


def _check(probe) -> dict:
    try:
        return {"ok": True, "detail": probe()}
    except Exception as exc:  # noqa: BLE001 -- whatever fails, the probe says so instead of a 500
        return {"ok": False, "detail": f"{type(exc).__name__}: {exc}"[:300]}


def _database() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


def _broker() -> str:
    from backoffice.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=0, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
        return connection.as_uri()  # the password masked


def _storage() -> str:
    from django.core.files.storage import storages

    storage = storages["documents"]
    storage.exists(STORAGE_PROBE_NAME)
    return type(storage).__name__


def _tesseract() -> str:
    from backoffice.production import missing_ocr_languages
    from ocr.engine import DEFAULT_LANGS, available_languages

    have = available_languages()  # read once per process
    if not have:
        raise RuntimeError("tesseract not found")
    missing = missing_ocr_languages(wanted=DEFAULT_LANGS, installed=have)
    if missing:
        raise RuntimeError(f"languages missing: {'+'.join(missing)}")
    return f"languages {DEFAULT_LANGS}"


def _heartbeat_checks(*, database_ok: bool) -> dict:
    from backoffice.celery import QUEUES

    names = [f"queue:{queue}" for queue in QUEUES]
    if not database_ok:
        return {name: {"ok": False, "detail": "database unavailable"} for name in [*names, "beat"]}
    from supervision.models import Heartbeat

    now = timezone.now()
    max_age = timedelta(seconds=settings.READY_HEARTBEAT_MAX_AGE)
    workers = [f"worker:{queue}" for queue in QUEUES]
    beats = {beat.name: beat for beat in Heartbeat.objects.filter(name__in=names + workers)}
    checks = {}
    for queue, name in zip(QUEUES, names):
        # ready: a worker consuming the queue is alive (its own timer); a backlog is no reason to stop routing
        alive, task = beats.get(f"worker:{queue}"), beats.get(name)
        backlog = f"; last heartbeat task ran {(now - task.ran_at).total_seconds():.0f} s ago" if task else ""
        if alive is None:
            checks[name] = {"ok": False, "detail": "no worker heard from" + backlog}
        else:
            age = (now - alive.ran_at).total_seconds()
            checks[name] = {
                "ok": now - alive.ran_at < max_age,
                "detail": f"a worker was alive {age:.0f} s ago{backlog}",
            }
    last_sent = max((beats[name].sent_at for name in names if name in beats), default=None)
    if last_sent is None:
        checks["beat"] = {"ok": False, "detail": "no heartbeat sent"}
    else:
        checks["beat"] = {
            "ok": now - last_sent < max_age,
            "detail": f"last send {(now - last_sent).total_seconds():.0f} s ago",
        }
    return checks


# -- /metrics --------------------------------------------------------------------------------------


def may_scrape(request) -> bool:
    """A bearer of METRICS_TOKEN (when set), or a caller from METRICS_ALLOWED_NETWORKS."""
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if (
        token
        and header.startswith("Bearer ")
        and hmac.compare_digest(header[len("Bearer ") :].encode(), token.encode())
    ):
        return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in settings.METRICS_ALLOWED_NETWORKS)


@never_cache
@require_safe
def metrics(request):
    if not may_scrape(request):
        raise Http404
    from prometheus_client import CONTENT_TYPE_LATEST

    from backoffice.metrics import exposition

    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
