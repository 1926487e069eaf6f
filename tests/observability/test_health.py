"""/healthz and /readyz as load balancers call them (contracts: every check named, 503 when one fails)."""

import socket
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backoffice.celery import QUEUES, app
from supervision.models import Heartbeat
from supervision.tasks import record_heartbeat

CHECKS = {"database", "broker", "storage", "tesseract", "queue:celery", "queue:ocr", "queue:mail", "beat"}


def fresh_heartbeats():
    for queue in QUEUES:
        record_heartbeat(name=f"queue:{queue}", sent_at=timezone.now())
        record_heartbeat(name=f"worker:{queue}", sent_at=timezone.now())


def dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_or_rabbit():
    if app.conf.broker_url.startswith(("filesystem", "safefs")):
        pytest.skip("needs a broker server (CELERY_BROKER_URL=redis://... or amqp://...)")


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")  # no db fixture: a query would fail the test
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_the_probes_are_not_redirected_to_https_and_set_no_cookie(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    fresh_heartbeats()
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code in (200, 503)
    assert client.get("/readyz").cookies == {}
    assert client.get("/metrics").status_code == 301  # not a probe: https like every other page


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_readyz_is_green_once_a_real_worker_ran_a_heartbeat_from_every_queue(client, worker, redis_or_rabbit):
    from supervision.tasks import heartbeat

    for queue in QUEUES:  # the queue recorded is the task's argument; the worker consumes a queue of its own
        heartbeat.apply_async(args=(queue,), queue=worker.queue, expires=30)
        record_heartbeat(name=f"worker:{queue}", sent_at=timezone.now())  # its liveness: the next test
    worker.wait_for(
        lambda: Heartbeat.objects.filter(name__startswith="queue:").count() == len(QUEUES), "three heartbeats"
    )
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["ready"] is True and set(body["checks"]) == CHECKS
    assert all(check["ok"] and isinstance(check["detail"], str) for check in body["checks"].values())


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_says_it_is_alive_for_its_queue_while_its_child_is_busy(worker, redis_or_rabbit, settings):
    from supervision.tasks import heartbeat

    name = f"worker:{worker.queue}"
    first = worker.wait_for(lambda: Heartbeat.objects.filter(name=name).first(), "the worker's liveness")
    # a backlog: heartbeat tasks that wait; the liveness comes from the main process's timer regardless
    for _ in range(3):
        heartbeat.apply_async(args=("celery",), queue=worker.queue, expires=60)
    worker.wait_for(
        lambda: Heartbeat.objects.get(name=name).ran_at > first.ran_at,
        "a second liveness beat",
        timeout=settings.HEARTBEAT_INTERVAL + 30,
    )


def test_a_backlog_alone_keeps_the_queue_ready(client, db, settings):
    fresh_heartbeats()
    Heartbeat.objects.filter(name="queue:ocr").update(ran_at=timezone.now() - timedelta(seconds=600))
    body = client.get("/readyz").json()
    assert body["checks"]["queue:ocr"]["ok"] and "600 s ago" in body["checks"]["queue:ocr"]["detail"]


def test_a_stale_heartbeat_makes_readyz_503_naming_the_queue(client, db, settings):
    fresh_heartbeats()
    Heartbeat.objects.filter(name="worker:ocr").update(
        ran_at=timezone.now() - timedelta(seconds=settings.READY_HEARTBEAT_MAX_AGE + 5)
    )
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503 and body["ready"] is False
    assert [name for name, check in body["checks"].items() if not check["ok"]] == ["queue:ocr"]
    assert "s ago" in body["checks"]["queue:ocr"]["detail"]


def test_a_queue_never_heard_from_is_not_ready(client, db):
    record_heartbeat(name="queue:celery", sent_at=timezone.now())
    body = client.get("/readyz").json()
    assert not body["checks"]["queue:mail"]["ok"] and body["checks"]["queue:mail"]["detail"] == "no worker heard from"
    assert body["checks"]["beat"]["ok"]


def test_beat_silent_for_too_long_is_not_ready(client, db, settings):
    long_ago = timezone.now() - timedelta(seconds=settings.READY_HEARTBEAT_MAX_AGE + 5)
    for queue in QUEUES:
        record_heartbeat(name=f"queue:{queue}", sent_at=long_ago)  # run now, sent long ago: only beat is late
        record_heartbeat(name=f"worker:{queue}", sent_at=timezone.now())
    body = client.get("/readyz").json()
    assert [name for name, check in body["checks"].items() if not check["ok"]] == ["beat"]


def test_a_broker_at_a_dead_port_makes_readyz_503_naming_the_broker(client, db, redis_or_rabbit, monkeypatch):
    fresh_heartbeats()
    scheme = app.conf.broker_url.split("://")[0]
    dead = (
        f"{scheme}://127.0.0.1:{dead_port()}/0"
        if scheme.startswith("redis")
        else f"{scheme}://guest:guest@127.0.0.1:{dead_port()}//"
    )
    monkeypatch.setenv("CELERY_BROKER_URL", dead)  # Celery reads it before its own setting
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert [name for name, check in body["checks"].items() if not check["ok"]] == ["broker"]


def test_the_heartbeat_upsert_is_one_statement(db):
    record_heartbeat(name="queue:celery", sent_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        record_heartbeat(name="queue:celery", sent_at=timezone.now())
    assert len(queries) == 1 and Heartbeat.objects.count() == 1


def test_beat_sends_a_heartbeat_to_every_queue_expiring_after_the_interval(settings):
    app.finalize()  # what `celery beat` does before it reads its schedule
    for queue in QUEUES:
        entry = app.conf.beat_schedule[f"heartbeat-{queue}"]
        assert entry["task"] == "supervision.tasks.heartbeat" and entry["args"] == (queue,)
        assert entry["options"] == {"queue": queue, "expires": settings.HEARTBEAT_INTERVAL}
        assert entry["schedule"] == settings.HEARTBEAT_INTERVAL
