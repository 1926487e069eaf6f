"""The outbox: a message is a row of the committing transaction, offered to the broker after commit and by the
relay until the broker takes it. (The broker's faults are simulated here by the send raising what kombu raises;
tests/faults runs the same against a real Redis that is stopped, restarted and hung.)"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from outbox import services as outbox
from outbox.models import Message

pytestmark = pytest.mark.django_db

TASK = "outbox.tasks.purge_relayed"  # any registered task that does nothing harmful


@pytest.fixture
def broker_down(monkeypatch):
    """The broker refuses every message; ``broker_down.undo()`` brings it back."""
    sent = []
    real = outbox._send

    def refuse(message):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(outbox, "_send", refuse)

    class Broker:
        def undo(self):
            monkeypatch.setattr(outbox, "_send", lambda message: (sent.append(message.task_id), real(message)))

        @property
        def taken(self):
            return sent

    return Broker()


@pytest.fixture
def lazy_celery(settings):
    """Celery as in production (not eager): what offer does when the broker fails is then visible."""
    from backoffice.celery import app

    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_a_rolled_back_transaction_leaves_no_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                outbox.publish(TASK)
                raise RuntimeError
    assert not Message.objects.exists()


def test_a_message_taken_at_commit_is_marked_relayed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.publish(TASK)
    message.refresh_from_db()
    assert message.relayed_at is not None and outbox.pending_count() == 0


def test_a_broker_that_refuses_keeps_the_message_for_the_relay(
    broker_down, lazy_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.publish(TASK, kwargs={"x": 1})  # no exception reaches the caller
    message.refresh_from_db()
    assert message.relayed_at is None and message.relay_attempts == 1 and "Connection refused" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert outbox.relay_pending() == 0  # not due yet: the relay backs off
    Message.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert outbox.relay_pending() == 0  # still down
    broker_down.undo()
    Message.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert outbox.relay_pending() == 1
    message.refresh_from_db()
    assert message.relayed_at is not None and broker_down.taken == [message.task_id]


def test_the_relay_leaves_messages_the_committer_may_still_offer(
    django_capture_on_commit_callbacks, broker_down, lazy_celery
):
    broker_down.undo()
    with transaction.atomic():  # committed by the test's end only: its on-commit offer has not run
        outbox.publish(TASK)
    assert outbox.relay_pending() == 0  # within OUTBOX_RELAY_GRACE_SECONDS of its writing


def test_deliveries_are_counted_per_message_and_retry():
    assert outbox.count_delivery(task_id="abc", retries=0, task=TASK) == 1
    assert outbox.count_delivery(task_id="abc", retries=0, task=TASK) == 2  # redelivered
    assert outbox.count_delivery(task_id="abc", retries=1, task=TASK) == 1  # its retry is a new message


def test_recently_published_sees_the_same_task_and_arguments_only():
    Message.objects.create(task="documents.tasks.make_previews_task", args=[7], task_id="p7")
    window = timedelta(minutes=10)
    assert outbox.recently_published("documents.tasks.make_previews_task", args=[7], within=window)
    assert not outbox.recently_published("documents.tasks.make_previews_task", args=[8], within=window)
    assert outbox.recently_published("documents.tasks.make_previews_task", task_id="p7", within=window)
    Message.objects.update(created_at=timezone.now() - timedelta(hours=1))
    assert not outbox.recently_published("documents.tasks.make_previews_task", args=[7], within=window)


def test_old_relayed_messages_are_purged_and_waiting_ones_kept():
    old = timezone.now() - timedelta(days=8)
    Message.objects.create(task=TASK, task_id="done", relayed_at=old, created_at=old)
    Message.objects.create(task=TASK, task_id="waiting", created_at=old)
    outbox.purge_relayed()
    assert list(Message.objects.values_list("task_id", flat=True)) == ["waiting"]
