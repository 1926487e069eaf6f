"""Messages that must follow a commit: rows written in the committing transaction, relayed to the broker.

:func:`publish` inserts a :class:`~outbox.models.Message` in the caller's transaction. Once that commits,
the same process offers it to the broker at once, with short timeouts and no retry; a broker that is down
or slow leaves the row to :func:`relay_pending` (``manage.py relay_outbox``), which offers it again with
back-off until the broker takes it. Nothing leaves if the transaction rolls back, nothing is lost if the
broker is down, and no web request waits on the broker longer than its connect timeout.

A message may reach the broker twice (offered, then the process dies before marking it relayed; or a
worker redelivers it), so every consumer is idempotent by what it works on: a job's status, a page's
status, an e-mail's status. E-mails are rows of their own (:func:`queue_email`), delivered by
``accounts.tasks.deliver_emails`` at most once per key.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from importlib import import_module

from celery import current_app as app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

import log_context
from faults import backoff

from .models import Delivery, Email, Message

logger = logging.getLogger(__name__)


def publish(
    task: str, *, args: list | None = None, kwargs: dict | None = None, queue: str = "", task_id: str = ""
) -> Message:
    """Send the Celery task named ``task`` once the current transaction commits (at once outside one)."""
    with transaction.atomic(savepoint=False):  # one INSERT: nothing to roll back to inside a caller's transaction
        message = Message.objects.create(
            task=task,
            args=list(args or []),
            kwargs=dict(kwargs or {}),
            queue=queue,
            task_id=task_id or str(uuid.uuid4()),
            request_id=log_context.request_id.get(),
            next_attempt_at=timezone.now() + timedelta(seconds=settings.OUTBOX_RELAY_GRACE_SECONDS),
        )
        transaction.on_commit(lambda: offer(message))
    return message


def offer(message: Message) -> bool:
    """Hand ``message`` to the broker now; True when it took it. Never raises for a broker fault: the relay
    offers it again later. With eager Celery (tests) the task runs here, and what it raises propagates."""
    try:
        _send(message)
    except Exception as exc:  # noqa: BLE001 -- whatever the broker says, the row keeps the message
        if app.conf.task_always_eager:
            raise
        logger.warning("broker did not take %s (%s): the relay will offer it again", message, exc)
        Message.objects.filter(pk=message.pk, relayed_at__isnull=True).update(
            relay_attempts=F("relay_attempts") + 1,
            last_error=repr(exc)[:500],
            next_attempt_at=timezone.now() + timedelta(seconds=backoff(message.relay_attempts, base=2, cap=60)),
        )
        return False
    Message.objects.filter(pk=message.pk, relayed_at__isnull=True).update(relayed_at=timezone.now())
    return True


def _send(message: Message) -> None:
    options = {"task_id": message.task_id, "retry": False}
    if message.request_id:  # the relay publishes long after the request: the id travels with the row
        options["headers"] = {"request_id": message.request_id}
    if message.queue:
        options["queue"] = message.queue
    if app.conf.task_always_eager:  # tests: run it here, as the task would in a worker
        if message.task not in app.tasks:
            import_module(message.task.rsplit(".", 1)[0])
        app.tasks[message.task].apply_async(args=message.args, kwargs=message.kwargs, **options)
    else:  # by name: the sending process need not import the task's module
        app.send_task(message.task, args=message.args, kwargs=message.kwargs, **options)


def relay_pending(*, limit: int = 200) -> int:
    """Offer the messages that are due (never taken, or taken by nobody yet); returns how many the broker took.

    Rows are claimed with ``SKIP LOCKED`` on PostgreSQL, so several relays never offer the same row at once.
    """
    relayed = 0
    with transaction.atomic():
        due = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(relayed_at__isnull=True, next_attempt_at__lte=timezone.now())
            .order_by("id")[:limit]
        )
        for message in due:
            if offer(message):
                relayed += 1
            else:
                break  # the broker is down: the rest waits for the next round
    return relayed


def recently_published(task: str, *, args: list | None = None, task_id: str = "", within: timedelta) -> bool:
    """Whether a message for ``task`` (with ``args``, or with Celery id ``task_id``) was written in the last ``within``:
    reconciliation does not re-drive what it (or the work itself) has just sent."""
    messages = Message.objects.filter(task=task, created_at__gte=timezone.now() - within)
    messages = messages.filter(task_id=task_id) if task_id else messages.filter(args=list(args or []))
    return messages.exists()


def pending_count() -> int:
    return Message.objects.filter(relayed_at__isnull=True).count()


def purge_relayed(*, older_than: timedelta = timedelta(days=7)) -> int:
    cutoff = timezone.now() - older_than
    deleted, _ = Message.objects.filter(relayed_at__lt=cutoff).delete()
    deleted_deliveries, _ = Delivery.objects.filter(last_at__lt=cutoff).delete()
    return deleted + deleted_deliveries


def count_delivery(*, task_id: str, retries: int, task: str) -> int:
    """Count one start of the Celery message ``task_id`` (retry number ``retries``); returns the count so far."""
    key = f"{task_id}:{retries}"[:120]
    with transaction.atomic():
        delivery, created = Delivery.objects.select_for_update().get_or_create(
            key=key, defaults={"task": task[:200], "count": 1}
        )
        if not created:
            delivery.count += 1
            delivery.last_at = timezone.now()
            delivery.save(update_fields=["count", "last_at"])
    return delivery.count


# -- e-mails ---------------------------------------------------------------------------------------


def queue_email(*, to: str, template: str, context: dict, language: str, request_ref: str = "", key: str = "") -> Email:
    """An e-mail row, QUEUED, in the caller's transaction (the caller publishes its delivery)."""
    # Its delivery message is on its way; should it be lost, reconciliation sends it after this.
    fields = {
        "to": to,
        "template": template,
        "context": context,
        "language": language,
        "request_ref": request_ref[:12],
        "next_attempt_at": timezone.now() + timedelta(seconds=settings.RECONCILE_AFTER_SECONDS),
    }
    if not key:
        return Email.objects.create(key=f"email:{uuid.uuid4()}", **fields)
    email, _ = Email.objects.get_or_create(key=key[:200], defaults=fields)
    return email


def deliver_later(email_ids: list[int]) -> Message:
    """Publish the delivery of ``email_ids`` (possibly none: see ``accounts.services.ask_password_reset``)."""
    return publish("accounts.tasks.deliver_emails", kwargs={"ids": list(email_ids)})


def redrive_due_emails(*, limit: int = 200) -> list[int]:
    """Publish again the delivery of the e-mails still QUEUED whose next attempt is due (their delivery was
    lost, or they wait a retry), and move that attempt on so that the next round does not publish it again."""
    with transaction.atomic():
        ids = list(
            Email.objects.select_for_update(skip_locked=True)
            .filter(status=Email.Status.QUEUED, next_attempt_at__lte=timezone.now())
            .order_by("id")
            .values_list("id", flat=True)[:limit]
        )
        if ids:
            Email.objects.filter(pk__in=ids).update(
                next_attempt_at=timezone.now() + timedelta(seconds=settings.RECONCILE_AFTER_SECONDS)
            )
            deliver_later(ids)
    return ids
