"""The two paperwork processes. Each is a concrete Viewflow ``Process`` with real foreign keys.

A request is *open* from its start until it is applied, rejected or expired; at most one
open request of each kind per customer (a partial unique index).
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

# Readable over the phone: no 0/O, 1/I/L, 5/S, 8/B.
REFERENCE_ALPHABET = "2345679ACDEFGHJKMNPQRTUVWXYZ"


def new_reference(prefix: str) -> str:
    return prefix + "-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


class Channel(models.TextChoices):
    PORTAL = "portal", _("Customer area")
    PHONE = "phone", _("Phone")


class Outcome(models.TextChoices):
    APPLIED = "applied", _("Approved and applied")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


class RejectReason(models.TextChoices):
    WRONG_DOCUMENT = "wrong_document", _("Wrong document")
    UNREADABLE = "unreadable", _("Unreadable")
    NAMES_DO_NOT_MATCH = "names_do_not_match", _("Names do not match")
    IDENTIFIER_DOES_NOT_MATCH = "identifier_does_not_match", _("Identifier does not match")
    NOT_VALID_REPRESENTATION = "not_valid_representation", _("Not a valid representation")
    OTHER = "other", _("Other")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    MORE_DOCUMENTS = "more_documents", _("Ask for more documents")


class PaperworkRequest(models.Model):
    """What both processes share: who asked, for which customer, with which documents, and the decisions."""

    reference = models.CharField(max_length=12, unique=True)
    customer = models.ForeignKey("accounts.Customer", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    requested_by = models.ForeignKey(
        "accounts.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The person who asked (the representative, or the caller).",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The login that started it: the customer, or the call-center agent.",
    )
    contact_email = models.EmailField()
    language = models.CharField(max_length=5, default="ca")
    document_set = models.OneToOneField("documents.DocumentSet", on_delete=models.PROTECT, related_name="+")
    precheck = models.ForeignKey(
        "documents.Precheck", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_open = models.BooleanField(default=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    # The staff decision (the last one when documents were asked for again).
    decision = models.CharField(max_length=20, blank=True)
    reject_reason = models.CharField(max_length=30, choices=RejectReason.choices, blank=True)
    customer_message = models.TextField(blank=True)
    internal_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when verification passed its service level and went to the supervisors' queue.
    escalated_at = models.DateTimeField(null=True, blank=True)
    # How many times staff asked for more documents.
    documents_rounds = models.PositiveSmallIntegerField(default=0)
    # The customer's representative when the request started: a party to it (``authority``), and
    # the person told at once, who may object.
    representative_at_start = models.ForeignKey(
        "accounts.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An objection puts the request on hold: only a supervisor decides it, with four eyes.
    objected_at = models.DateTimeField(null=True, blank=True)
    objected_by = models.ForeignKey(
        "accounts.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    objection_channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    objection_note = models.TextField(blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference

    # Predicates the flows branch on (one decision per verification round).
    @property
    def approved(self) -> bool:
        return self.decision == Decision.APPROVE

    @property
    def more_documents_asked(self) -> bool:
        return self.decision == Decision.MORE_DOCUMENTS

    def may_be_objected_by(self, person_id: int | None) -> bool:
        """Only the representative when it started objects, while it is open and not yet on hold (``services.object_to_request``)."""
        return (
            person_id is not None and person_id == self.representative_at_start_id and self.is_open and not self.on_hold
        )

    @property
    def on_hold(self) -> bool:
        """The representative objected: a supervisor decides, and an approval needs a second one."""
        return self.objected_at is not None

    @property
    def needs_second_approval(self) -> bool:
        """Four eyes: the pre-check was not clear, the customer is flagged as sensitive, or someone objected."""
        verdict = self.precheck.verdict if self.precheck_id else ""
        return self.approved and (verdict != "clear" or self.customer.sensitive or self.on_hold)

    @property
    def second_approved(self) -> bool:
        return self.second_approved_by_id is not None and self.decision == Decision.APPROVE

    def named_id_numbers(self) -> set[str]:
        """Identity numbers of the people the request names (they may not decide on it)."""
        raise NotImplementedError

    @property
    def named_person_id_number(self) -> str:
        """The id number of the person the request makes representative or manager."""
        return getattr(self, self.named_id_field)

    def party_person_ids(self) -> set[int]:
        """Persons party to the request by record: who asked, and the representative when it started."""
        return {pk for pk in (self.requested_by_id, self.representative_at_start_id) if pk is not None}


class RepresentativeChangeProcess(PaperworkRequest, Process):
    """A new legal representative for a company, backed by a power of attorney or deed."""

    class Outgoing(models.TextChoices):
        AUTHORISED_FULL = (
            "authorised_full",
            _("Keep the outgoing representative as an authorised contact with full access"),
        )
        DEACTIVATE = "deactivate", _("Deactivate the outgoing representative")

    new_id_number = models.CharField(max_length=20)
    new_name = models.CharField(max_length=200)
    new_email = models.EmailField()
    new_person = models.ForeignKey("accounts.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outgoing_person = models.ForeignKey(
        "accounts.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outgoing = models.CharField(max_length=20, choices=Outgoing.choices, default=Outgoing.AUTHORISED_FULL)

    def named_id_numbers(self) -> set[str]:
        ids = {self.new_id_number}
        ids |= {p.id_number for p in (self.requested_by, self.outgoing_person, self.new_person) if p is not None}
        return ids

    kind = "representative_change"
    reference_prefix = "RC"
    named_id_field = "new_id_number"
    #: What the flow's steps read with the request, loaded with it in one query (workflows.nodes).
    flow_related = ("customer", "document_set", "precheck", "outgoing_person", "new_person")

    class Meta:
        verbose_name = _("Change of representative")
        permissions = [
            ("verify_request", "Verify paperwork requests"),
            ("supervise_request", "Give second approvals and take escalated verifications"),
            ("start_request", "Start paperwork requests on a caller's behalf"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(is_open=True), name="one_open_representative_change_per_customer"
            ),
        ]


class ExternalManagerProcess(PaperworkRequest, Process):
    """An energy manager / property administrator firm registered to manage the customer's contracts."""

    firm_cif = models.CharField(max_length=9)
    firm_name = models.CharField(max_length=200)
    firm_kind = models.CharField(max_length=30)
    manager_id_number = models.CharField(max_length=20)
    manager_name = models.CharField(max_length=200)
    manager_email = models.EmailField()
    supply_points = models.ManyToManyField(
        "accounts.SupplyPoint",
        blank=True,
        related_name="+",
        help_text="Empty means every supply point of the customer.",
    )
    grant = models.ForeignKey("accounts.Grant", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def named_id_numbers(self) -> set[str]:
        ids = {self.manager_id_number}
        if self.requested_by is not None:
            ids.add(self.requested_by.id_number)
        return ids

    kind = "external_manager"
    reference_prefix = "EM"
    named_id_field = "manager_id_number"
    flow_related = ("customer", "document_set", "precheck")

    class Meta:
        verbose_name = _("External manager")
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(is_open=True), name="one_open_external_manager_per_customer"
            ),
        ]


PROCESS_MODELS = (RepresentativeChangeProcess, ExternalManagerProcess)


REFERENCE_SHAPE = re.compile(rf"^[A-Z]{{2}}-[{REFERENCE_ALPHABET}]{{6}}$")


def model_for_reference(reference: str):
    """The process model a reference belongs to, from its prefix; None for anything not shaped like a reference
    (so that nothing else -- a NUL byte, a megabyte of text -- ever reaches a query)."""
    reference = (reference or "").upper()
    if not REFERENCE_SHAPE.match(reference):
        return None
    return next((model for model in PROCESS_MODELS if model.reference_prefix == reference[:2]), None)


class Milestone(models.Model):
    """One line of a request's timeline, as the customer reads it in "Gestions"."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Request submitted")
        LINK_SENT = "link_sent", _("Upload link sent")
        DOCUMENTS_RECEIVED = "documents_received", _("Documents received")
        CHECKS_RUNNING = "checks_running", _("Automatic checks running")
        UNDER_REVIEW = "under_review", _("Under review")
        MORE_DOCUMENTS = "more_documents", _("More documents needed")
        SECOND_APPROVAL = "second_approval", _("Waiting for a second approval")
        ON_HOLD = "on_hold", _("On hold: the representative objected")
        REMINDER = "reminder", _("Reminder sent")
        APPLIED = "applied", _("Approved and applied")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired")

    reference = models.CharField(max_length=12, db_index=True)
    customer = models.ForeignKey("accounts.Customer", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    # Customer-facing text (the staff's message); never the internal note.
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["customer", "at"], name="milestones_by_customer")]

    def __str__(self) -> str:
        return f"{self.reference} {self.kind} ({self.at:%Y-%m-%d %H:%M})"


class UploadLink(models.Model):
    """A secure upload link e-mailed for a request started by phone. Only the token's hash is stored.

    Useful only while the request waits for documents, before it expires and unless revoked.
    """

    reference = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class State(models.TextChoices):
        SENT = "sent", _("Sent")
        OPENED = "opened", _("Opened")
        UPLOADED = "uploaded", _("Documents uploaded")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    def __str__(self) -> str:
        return f"Upload link #{self.pk} for {self.reference} ({self.created_at:%Y-%m-%d})"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return self.State.REVOKED
        if self.uploaded_at:
            return self.State.UPLOADED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        if self.opened_at:
            return self.State.OPENED
        return self.State.SENT


class SavedView(models.Model):
    """A staff member's named set of work-queue filters (``workflows.worklist``): a personal preference, not audited."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60)
    # The filters as a query string, rebuilt from the validated filter form (never the raw input).
    query = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="one_saved_view_name_per_user")]

    def __str__(self) -> str:
        return f"{self.name} ({self.user_id})"
