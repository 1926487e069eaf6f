"""Through a real Celery worker on a private Redis: the broker is down when the events happen, then the receiver
is down, slow and up. Every event arrives, signed, each attempt posted once, none lost."""

from __future__ import annotations

import pytest

from outbox.models import Message
from tests.faults import parts
from tests.workflows.paperwork import start_change
from webhooks.models import Attempt, Delivery
from webhooks.services import DELIVER_TASK, redrive_due

from .helpers import endpoint, import_invoices

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

#: The worker's settings, as the ``loopback`` fixture sets them in this process.
WORKER_ENV = {
    "WEBHOOKS_ALLOW_LOOPBACK": "true",
    "WEBHOOKS_TIMEOUT_SECONDS": "1",
    "WEBHOOKS_RETRY_SECONDS": "1",
    "WEBHOOKS_REDRIVE_AFTER_SECONDS": "3",
    "WEBHOOKS_MAX_ATTEMPTS": "20",
}


def sweeping(condition):
    """What beat does every few seconds (``webhooks.tasks.sweep_deliveries``), then the condition."""

    def check() -> bool:
        redrive_due()
        return condition()

    return check


def finished(number: int) -> int:
    return Attempt.objects.filter(number=number, finished_at__isnull=False).count()


def test_broker_down_then_receiver_down_slow_and_up_loses_nothing(story, stack, redis, receiver, loopback, tmp_path):
    loopback.WEBHOOKS_MAX_ATTEMPTS = 20
    row, secret = endpoint(story.representative, customer=story.customer, url=receiver.url)
    redis.stop()
    process = start_change(story)
    import_invoices(story.customer, tmp_path, cups=[None, None])
    deliveries = Delivery.objects.filter(endpoint=row)
    events = set(deliveries.values_list("event__public_id", flat=True))
    assert len(events) == 3
    assert Message.objects.filter(task=DELIVER_TASK, relayed_at__isnull=True).count() == 3  # kept for the relay

    redis.start()
    worker, relay = stack.worker(**WORKER_ENV), stack.relay()
    logs = [worker, relay]
    parts.wait_for(lambda: finished(1) == 3, timeout=60, what="first attempts, receiver down", logs=logs)
    assert receiver.received == []
    assert all("refused" in a.error.lower() for a in Attempt.objects.filter(number=1))

    receiver.delay = 2.5
    receiver.start("slow")
    parts.wait_for(sweeping(lambda: finished(2) == 3), timeout=60, what="second attempts, receiver slow", logs=logs)
    assert {a.error for a in Attempt.objects.filter(number=2)} == {"no answer within 1 s"}

    receiver.mode = "up"
    parts.wait_for(
        sweeping(lambda: deliveries.filter(status=Delivery.Status.DELIVERED).count() == 3),
        timeout=60,
        what="every delivery delivered, receiver up",
        logs=logs,
    )
    # every request the receiver read is signed with the endpoint's secret, as the documented check says
    assert receiver.received and all(r.signed_with(secret) for r in receiver.received)
    # once per attempt: the receiver read exactly the attempts that reached it (not those refused at its port)
    reached = Attempt.objects.filter(delivery__endpoint=row).exclude(error__icontains="refused")
    assert len(receiver.received) == reached.count()
    # none lost, none twice: each event answered 2xx once
    answered = [r.headers["X-Webhook-Id"] for r in receiver.received if r.mode == "up"]
    assert sorted(answered) == sorted(events)
    kinds = sorted(r.payload["type"] for r in receiver.received if r.mode == "up")
    assert kinds == ["invoice.issued", "invoice.issued", "request.status_changed"]
    assert process.reference in {r.payload["data"].get("request", {}).get("reference") for r in receiver.received}
