"""Webhooks: where a person wants to be told (``Endpoint``), what happened (``Event``), and its journey to each
endpoint (``Delivery``, one row per event and endpoint) with every try (``Attempt``, one row per attempt number:
a database constraint, so an attempt is never posted twice).

An event and its deliveries are written in the transaction of the change they describe (``receivers``); the
deliveries leave through the outbox after the commit and are retried with back-off (``services``).
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SECRET_PREFIX = "whsec_"
EVENT_ID_PREFIX = "evt_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def new_event_id() -> str:
    return EVENT_ID_PREFIX + secrets.token_hex(12)


class EventType(models.TextChoices):
    REQUEST_STATUS_CHANGED = "request.status_changed", _("A request moved to another step")
    REQUEST_DOCUMENTS_REQUESTED = "request.documents_requested", _("More documents are needed for a request")
    REQUEST_APPLIED = "request.applied", _("A request was approved and applied")
    REQUEST_REJECTED = "request.rejected", _("A request was rejected")
    INVOICE_ISSUED = "invoice.issued", _("An invoice was issued")
    TEST = "webhook.test", _("Test event")


#: What an endpoint may subscribe to (the test event goes to one endpoint when its owner asks).
SUBSCRIBABLE = [choice for choice in EventType.choices if choice[0] != EventType.TEST]


class Endpoint(models.Model):
    """An HTTPS address of a person's software, for one customer or for every customer the person sees."""

    owner = models.ForeignKey("accounts.Person", on_delete=models.CASCADE, related_name="webhook_endpoints")
    # NULL: every customer the owner may see when an event happens.
    customer = models.ForeignKey("accounts.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)
    # Signs every delivery (HMAC-SHA256); shown to the owner once, when created or rotated.
    secret = models.CharField(max_length=80)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["customer"], condition=Q(is_active=True), name="webhook_endpoint_active")]

    def __str__(self) -> str:
        return self.url

    @property
    def secret_hint(self) -> str:
        """The secret's last characters, to tell which one a receiver holds."""
        return "…" + self.secret[-4:]


class Event(models.Model):
    """Something that happened, as the JSON every endpoint receives (``data``); what it is about is kept apart
    so that who may still see it is asked again at delivery time."""

    public_id = models.CharField(max_length=40, unique=True, default=new_event_id)
    type = models.CharField(max_length=40, choices=EventType.choices)
    created_at = models.DateTimeField(default=timezone.now)
    customer = models.ForeignKey("accounts.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    request_reference = models.CharField(max_length=12, blank=True)
    invoice = models.ForeignKey("accounts.Invoice", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.type} {self.public_id}"

    def payload(self) -> dict:
        return {"id": self.public_id, "type": self.type, "created": self.created_at.isoformat(), "data": self.data}


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed: no more attempts")
        WITHHELD = "withheld", _("Not sent")

    class Withheld(models.TextChoices):
        ENDPOINT_DISABLED = "endpoint_disabled", _("The endpoint was disabled")
        NOT_VISIBLE = "not_visible", _("You may no longer see what it is about")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    withheld = models.CharField(max_length=20, choices=Withheld.choices, blank=True)
    # Attempts claimed so far; the next message carries the number it may claim (``services.attempt_delivery``).
    attempt_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # When the sweeper sends it again if nothing else has: the next retry, or the end of an attempt's lease.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_event_endpoint")]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint_id} ({self.status})"


class Attempt(models.Model):
    """One POST of a delivery. Written when claimed (``started_at``), completed with the answer."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    response_body = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="one_row_per_attempt")]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def failure_summary(self) -> str:
        """What went wrong, in the reader's language (``error`` keeps the technical detail, in English, as
        ``webhooks.transport.post`` wrote it)."""
        if not self.error:
            return ""
        for prefix, summary in _FAILURE_SUMMARIES:
            if self.error.startswith(prefix):
                return str(summary)
        return str(_("The connection to the endpoint failed."))


#: The beginnings of ``webhooks.transport.post``'s errors, and what each means for the endpoint's owner.
_FAILURE_SUMMARIES = [
    ("refused:", _("Not sent: the address is not a public one.")),
    ("could not resolve", _("The address's host name could not be found.")),
    ("no answer within", _("The endpoint did not answer in time.")),
]
