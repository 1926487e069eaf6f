"""One attempt at a time, against a real receiver on loopback: signed, recorded, retried, never posted twice."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.workflows.paperwork import start_change
from webhooks import services, transport
from webhooks.models import Attempt, Delivery
from webhooks.verify import signature, verify_signature

from .helpers import endpoint

pytestmark = pytest.mark.django_db


def _delivery(story, receiver) -> tuple[Delivery, str]:
    row, secret = endpoint(story.representative, customer=story.customer, url=receiver.url)
    start_change(story)
    return Delivery.objects.get(endpoint=row), secret


def test_a_delivery_is_signed_and_the_receiver_checks_it(story, loopback, receiver):
    receiver.start("up")
    delivery, secret = _delivery(story, receiver)
    attempt = services.attempt_delivery(delivery_id=delivery.pk, attempt=1)
    assert attempt.status_code == 204 and attempt.error == ""
    [got] = receiver.received
    assert got.path == "/hooks" and got.headers["Content-Type"] == "application/json"
    assert got.signed_with(secret)
    assert not got.signed_with(secret + "x")
    assert got.headers["X-Webhook-Id"] == delivery.event.public_id == got.payload["id"]
    assert got.payload["type"] == "request.status_changed"
    assert got.payload["data"]["request"]["customer"]["id"] == story.customer.pk
    assert set(got.payload) == {"id", "type", "created", "data"}
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.finished_at is not None


def test_the_documented_check_refuses_replays_and_tampering():
    body, secret = b'{"id":"evt_1"}', "whsec_test"
    now = 1_800_000_000
    header = signature(secret, now, body)
    assert verify_signature(secret, str(now), body, header, now=now + 299)
    assert not verify_signature(secret, str(now), body, header, now=now + 301)  # replayed later
    assert not verify_signature(secret, str(now + 10), body, header, now=now)  # timestamp changed
    assert not verify_signature(secret, str(now), body + b" ", header, now=now)  # body changed
    assert not verify_signature(secret, "soon", body, header, now=now)
    assert verify_signature(secret, str(now), body, f"v1=deadbeef, {header}", now=now)  # one of several


def test_down_then_slow_then_up_each_attempt_recorded_once(story, loopback, receiver):
    delivery, secret = _delivery(story, receiver)
    down = services.attempt_delivery(delivery_id=delivery.pk, attempt=1)  # the port is closed
    assert down.status_code is None and "Connection" in down.error
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempt_count == 1
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=0.5)

    receiver.delay = 2.5
    receiver.start("slow")
    slow = services.attempt_delivery(delivery_id=delivery.pk, attempt=2)
    assert slow.status_code is None and slow.error == "no answer within 1 s"

    receiver.mode = "up"
    up = services.attempt_delivery(delivery_id=delivery.pk, attempt=3)
    assert up.status_code == 204
    assert services.attempt_delivery(delivery_id=delivery.pk, attempt=3) is None  # the same attempt again: nothing
    assert services.attempt_delivery(delivery_id=delivery.pk, attempt=4) is None  # delivered: nothing more
    assert list(Attempt.objects.filter(delivery=delivery).values_list("number", flat=True)) == [1, 2, 3]
    assert len(receiver.received) == 2  # the slow one and the good one; the closed port read nothing
    assert all(r.signed_with(secret) for r in receiver.received)
    assert {r.headers["X-Webhook-Id"] for r in receiver.received} == {delivery.event.public_id}


def test_an_attempt_out_of_turn_posts_nothing(story, loopback, receiver):
    receiver.start("up")
    delivery, _secret = _delivery(story, receiver)
    assert services.attempt_delivery(delivery_id=delivery.pk, attempt=2) is None
    assert receiver.received == [] and not Attempt.objects.exists()


def test_after_the_last_attempt_the_delivery_fails(story, loopback, receiver):
    receiver.status = 500
    receiver.start("up")
    delivery, _secret = _delivery(story, receiver)
    for number in range(1, loopback.WEBHOOKS_MAX_ATTEMPTS + 1):
        assert services.attempt_delivery(delivery_id=delivery.pk, attempt=number).status_code == 500
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempt_count == loopback.WEBHOOKS_MAX_ATTEMPTS
    assert services.attempt_delivery(delivery_id=delivery.pk, attempt=delivery.attempt_count + 1) is None


def test_redirects_are_not_followed_and_answers_are_kept_short(story, loopback, receiver):
    receiver.status, receiver.headers_out = 302, {"Location": "http://169.254.169.254/latest/meta-data/"}
    receiver.body = b"x" * 5000
    receiver.start("up")
    delivery, _secret = _delivery(story, receiver)
    attempt = services.attempt_delivery(delivery_id=delivery.pk, attempt=1)
    assert attempt.status_code == 302 and len(receiver.received) == 1
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.response_body == "x" * 500
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING  # a 3xx is a failed attempt


def test_a_name_that_resolves_to_a_private_address_is_refused_at_delivery(story, loopback, monkeypatch, receiver):
    receiver.start("up")
    delivery, _secret = _delivery(story, receiver)
    delivery.endpoint.__class__.objects.filter(pk=delivery.endpoint_id).update(url="https://hooks.example.com/in")
    monkeypatch.setattr(transport, "_resolve", lambda host, port: ["93.184.215.14", "10.0.0.7"])
    attempt = services.attempt_delivery(delivery_id=delivery.pk, attempt=1)
    assert attempt.status_code is None and "non-public address" in attempt.error
    assert receiver.received == []


@pytest.mark.django_db(transaction=True)
def test_a_row_held_by_another_worker_is_skipped(story, loopback, receiver):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL")
    receiver.start("up")
    delivery, _secret = _delivery(story, receiver)  # committed: its first attempt ran at once (eager Celery)
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING, finished_at=None)
    posted = len(receiver.received)
    held, release = threading.Event(), threading.Event()

    def other_worker():
        from django.db import connections

        with transaction.atomic():
            Delivery.objects.select_for_update().get(pk=delivery.pk)
            held.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert held.wait(10)
        assert services.attempt_delivery(delivery_id=delivery.pk, attempt=2) is None
    finally:
        release.set()
        thread.join()
    assert len(receiver.received) == posted and Attempt.objects.filter(delivery=delivery).count() == 1
    assert services.attempt_delivery(delivery_id=delivery.pk, attempt=2).status_code == 204
    assert len(receiver.received) == posted + 1
