"""The interaction log: every call an agent handles, with the caller's verification and what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Interaction(models.Model):
    class Verification(models.TextChoices):
        NOT_ATTEMPTED = "not_attempted", _("Not verified")
        VERIFIED = "verified", _("Verified")
        FAILED = "failed", _("Verification failed")
        LOCKED = "locked", _("Verification locked")

    class Reason(models.TextChoices):
        REPRESENTATIVE_CHANGE = "representative_change", _("Change of representative")
        EXTERNAL_MANAGER = "external_manager", _("External manager")
        STATUS = "status", _("Status of a request")
        UPLOAD_HELP = "upload_help", _("Help with the upload")
        OBJECTION = "objection", _("The representative objects to a request")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Call in progress")
        REQUEST_STARTED = "request_started", _("Request started")
        LINK_RESENT = "link_resent", _("Upload link resent")
        LINK_REVOKED = "link_revoked", _("Upload link revoked")
        PUT_ON_HOLD = "put_on_hold", _("Request put on hold")
        INFORMED = "informed", _("Status explained")
        NOT_VERIFIED = "not_verified", _("Caller not verified")
        OTHER = "other", _("Other")

    class CallerKind(models.TextChoices):
        NOT_CHOSEN = "", _("Not chosen yet")
        KNOWN = "known", _("One of the customer's known people")
        UNKNOWN = "unknown", _("Unknown caller")

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey("accounts.Customer", on_delete=models.PROTECT, related_name="+")
    caller_id_number = models.CharField(max_length=20, blank=True)
    caller_name = models.CharField(max_length=200, blank=True)
    # Which case applied: a person the store knows on this customer (their grant decides what they
    # may hear and do, through ``authority``), or someone unknown (only a change of representative
    # naming themselves).
    caller_kind = models.CharField(max_length=10, choices=CallerKind.choices, blank=True, default="")
    caller_person = models.ForeignKey(
        "accounts.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification = models.CharField(max_length=20, choices=Verification.choices, default=Verification.NOT_ATTEMPTED)
    verified_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=30, choices=Reason.choices, default=Reason.OTHER)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.OPEN)
    request_ref = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-started_at"], name="interactions_by_customer"),
            models.Index(fields=["agent", "-started_at"], name="interactions_by_agent"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_verified(self) -> bool:
        return self.verification == self.Verification.VERIFIED
