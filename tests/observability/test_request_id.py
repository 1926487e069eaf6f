"""The request id: taken from a safe X-Request-ID or made, echoed, and carried into Celery tasks and outbox rows."""

import re

import pytest
from django.db import transaction

import log_context
from outbox import services as outbox
from outbox.models import Message

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.mark.parametrize("given", ["abc-123", "A.b_C-9", "x" * 64])
def test_a_safe_request_id_is_echoed(client, given):
    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "x" * 65, "a b", "id\r\nSet-Cookie: a=b", "ñ", ""])
def test_a_hostile_or_missing_request_id_is_replaced_by_a_new_one(client, hostile):
    returned = client.get("/healthz", HTTP_X_REQUEST_ID=hostile)["X-Request-ID"]
    assert HEX_ID.fullmatch(returned) and returned != hostile


def test_each_request_without_an_id_gets_its_own(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_an_error_page_carries_the_id_too(client, db):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-404")
    assert response.status_code == 404 and response["X-Request-ID"] == "trace-404"


def test_the_outbox_keeps_the_request_id_and_puts_it_in_the_message_headers(db, settings, monkeypatch):
    """The relay may publish long after the request: the id travels on the row, then in the message's headers."""
    from backoffice.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False  # the autouse test settings put it back
    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, **options: sent.append((name, options)))
    token = log_context.request_id.set("req-outbox-1")
    try:
        with transaction.atomic():
            message = outbox.publish("outbox.tasks.purge_relayed")
    finally:
        log_context.request_id.reset(token)
    assert Message.objects.get(pk=message.pk).request_id == "req-outbox-1"
    Message.objects.filter(pk=message.pk).update(relayed_at=None)
    outbox.offer(Message.objects.get(pk=message.pk))  # as the relay does, in a process serving no request
    assert [options["headers"] for _, options in sent][-1] == {"request_id": "req-outbox-1"}


def test_publishing_stamps_the_request_id_and_the_time_into_the_headers():
    from backoffice.observability import stamp_published

    headers = {}
    token = log_context.request_id.set("req-headers")
    try:
        stamp_published(headers=headers)
    finally:
        log_context.request_id.reset(token)
    assert headers["request_id"] == "req-headers" and headers["published_at"]
    relayed = {"request_id": "from-the-row"}
    stamp_published(headers=relayed)  # a sender that set it keeps it
    assert relayed["request_id"] == "from-the-row"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_logs_the_task_under_the_publishing_request_id(worker):
    from supervision.tasks import heartbeat

    token = log_context.request_id.set("req-into-worker-7")
    try:
        result = heartbeat.apply_async(args=("celery",), queue=worker.queue)
    finally:
        log_context.request_id.reset(token)
    line = worker.wait_for(
        lambda: next(
            (
                line
                for line in worker.lines()
                if result.id in line.get("message", "") and "succeeded" in line["message"]
            ),
            None,
        ),
        "the heartbeat task",
    )
    assert line["request_id"] == "req-into-worker-7"
    assert line["logger"] == "celery.app.trace" and line["level"] == "INFO" and line["timestamp"].endswith("Z")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_task_published_with_no_request_runs_under_its_own_task_id(worker):
    from supervision.tasks import heartbeat

    result = heartbeat.apply_async(args=("celery",), queue=worker.queue)
    line = worker.wait_for(
        lambda: next(
            (
                line
                for line in worker.lines()
                if result.id in line.get("message", "") and "succeeded" in line["message"]
            ),
            None,
        ),
        "the heartbeat task",
    )
    assert line["request_id"] == result.id
