"""The two paperwork processes. Each is a concrete Viewflow ``Process`` with real foreign keys.

A request is *open* from its start until it is applied, rejected or expired; at most one
open request of each kind per customer (a partial unique index).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
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


class PaperworkRequest(models.Model):
    """What both processes share: who asked, for which customer, with which documents, and the decisions."""

    reference = models.CharField(max_length=12, unique=True)
    customer = models.ForeignKey("accounts.Customer", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    requested_by = models.ForeignKey("accounts.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     help_text="The person who asked (the representative, or the caller).")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   help_text="The login that started it: the customer, or the call-center agent.")
    contact_email = models.EmailField()
    language = models.CharField(max_length=5, default="ca")
    document_set = models.OneToOneField("documents.DocumentSet", on_delete=models.PROTECT, related_name="+")
    precheck = models.ForeignKey("documents.Precheck", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_open = models.BooleanField(default=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    # The staff decision (the last one when documents were asked for again).
    decision = models.CharField(max_length=20, blank=True)
    reject_reason = models.CharField(max_length=30, choices=RejectReason.choices, blank=True)
    customer_message = models.TextField(blank=True)
    internal_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    second_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class RepresentativeChangeProcess(PaperworkRequest, Process):
    """A new legal representative for a company, backed by a power of attorney or deed."""

    class Outgoing(models.TextChoices):
        AUTHORISED_FULL = "authorised_full", _("Keep the outgoing representative as an authorised contact with full access")
        DEACTIVATE = "deactivate", _("Deactivate the outgoing representative")

    new_id_number = models.CharField(max_length=20)
    new_name = models.CharField(max_length=200)
    new_email = models.EmailField()
    new_person = models.ForeignKey("accounts.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outgoing_person = models.ForeignKey("accounts.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outgoing = models.CharField(max_length=20, choices=Outgoing.choices, default=Outgoing.AUTHORISED_FULL)

    class Meta:
        verbose_name = _("Change of representative")
        constraints = [
            models.UniqueConstraint(fields=["customer"], condition=Q(is_open=True), name="one_open_representative_change_per_customer"),
        ]


class ExternalManagerProcess(PaperworkRequest, Process):
    """An energy manager / property administrator firm registered to manage the customer's contracts."""

    firm_cif = models.CharField(max_length=9)
    firm_name = models.CharField(max_length=200)
    firm_kind = models.CharField(max_length=30)
    manager_id_number = models.CharField(max_length=20)
    manager_name = models.CharField(max_length=200)
    manager_email = models.EmailField()
    supply_points = models.ManyToManyField("accounts.SupplyPoint", blank=True, related_name="+",
                                           help_text="Empty means every supply point of the customer.")
    grant = models.ForeignKey("accounts.Grant", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("External manager")
        constraints = [
            models.UniqueConstraint(fields=["customer"], condition=Q(is_open=True), name="one_open_external_manager_per_customer"),
        ]
