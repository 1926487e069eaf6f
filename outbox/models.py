"""What must leave the system after a commit, kept as rows written in the same transaction.

``Message``: a Celery message (a job, a page to read, previews to render, e-mails to deliver) that the
relay hands to the broker until the broker accepts it. ``Email``: one e-mail to one person, sent at most
once per key, with its status for staff to see. ``Delivery``: how many times workers started one Celery
message, so that a message that kills its worker every time is stopped instead of redelivered for ever.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    queue = models.CharField(max_length=50, blank=True)
    # The Celery task id: every copy of this message (relayed twice, redelivered, re-driven) carries it.
    task_id = models.CharField(max_length=64, db_index=True)
    # The web request (or task) that published it, carried in the message's headers into the worker's logs.
    request_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    relayed_at = models.DateTimeField(null=True, blank=True)
    relay_attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(relayed_at__isnull=True), name="outbox_message_pending"
            ),
            models.Index(fields=["relayed_at"], name="outbox_message_relayed"),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"


class Delivery(models.Model):
    """One Celery message (task id + retry number) as started by workers: ``count`` > 1 means redelivered."""

    key = models.CharField(max_length=120, primary_key=True)
    task = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField(default=timezone.now)
    last_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.task} {self.key} (started {self.count} times)"


class Email(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not delivered")

    # Sent at most once per key: the same e-mail queued twice (a re-driven step) is one row.
    key = models.CharField(max_length=200, unique=True)
    to = models.CharField(max_length=254)
    template = models.CharField(max_length=80)
    language = models.CharField(max_length=10)
    # Cleared once the e-mail is sent or given up: it may carry a one-time link.
    context = models.JSONField(default=dict)
    subject = models.CharField(max_length=300, blank=True)
    request_ref = models.CharField(max_length=12, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["next_attempt_at"], condition=Q(status="queued"), name="outbox_email_queued")]

    def __str__(self) -> str:
        return f"{self.template} to {self.to} ({self.status})"
