"""The customer account store: who holds which contracts and who may act for them.

Invariants live here as database constraints (and triggers, see migration
0002) as well as in ``accounts.services``.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Customers log in with their personal id as username; staff have ``is_staff``."""


class Person(models.Model):
    """Someone identified by NIF, NIE or passport.

    Their identity (login, name, e-mail, phone) belongs to them: it is set by their own
    registration or profile, or by staff with an audited reason (``accounts.services``),
    never by someone who invites them. ``identity_basis`` says what proved that the login
    belongs to the person the id number names.
    """

    class IdType(models.TextChoices):
        NIF = "nif", "NIF"
        NIE = "nie", "NIE"
        PASSPORT = "passport", _("Passport")

    class IdentityBasis(models.TextChoices):
        NONE = "", _("Nothing proved yet")
        # An inviter vouched for the person and the person confirmed the invited address:
        # weaker than the rest, a request's documents or the holder proof take precedence.
        INVITATION = "invitation", _("Invited by an authorised person")
        REGISTRATION = "registration", _("Registration with the holder's proof")
        STAFF = "staff", _("Confirmed by staff")
        REQUEST = "request", _("Named by an approved request's documents")

    id_type = models.CharField(max_length=10, choices=IdType.choices)
    id_number = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=5, choices=settings.LANGUAGES, default="ca")
    # When the person showed that ``email`` is theirs (a link sent there was used), or staff confirmed it.
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    identity_basis = models.CharField(max_length=20, choices=IdentityBasis.choices, blank=True, default="")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    created_at = models.DateTimeField(default=timezone.now)

    PROVEN = (IdentityBasis.REGISTRATION, IdentityBasis.STAFF, IdentityBasis.REQUEST)

    @property
    def has_confirmed_email(self) -> bool:
        return bool(self.email and self.email_confirmed_at)

    @property
    def identity_proven(self) -> bool:
        return self.identity_basis in self.PROVEN

    class Meta:
        # Upper(email): the call-center search matches e-mails case-insensitively.
        indexes = [
            models.Index(fields=["email"]),
            models.Index(fields=["phone"]),
            models.Index(Upper("email"), name="persons_email_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.id_number})"


class Firm(models.Model):
    """An energy manager, property administrator or gestoria acting as external manager."""

    class Kind(models.TextChoices):
        ENERGY_MANAGER = "energy_manager", _("Energy manager")
        PROPERTY_ADMINISTRATOR = "property_administrator", _("Property administrator")
        GESTORIA = "gestoria", _("Gestoria")

    cif = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)

    def __str__(self) -> str:
        return f"{self.name} ({self.cif})"


class Customer(models.Model):
    """The contract holder (titular)."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        SELF_EMPLOYED = "self_employed", _("Self-employed")
        COMMUNITY = "community", _("Community of owners")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    tax_id = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=200)
    sensitive = models.BooleanField(default=False, help_text="Every paperwork change needs a second approval.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_id})"


class Contract(models.Model):
    class Energy(models.TextChoices):
        ELECTRICITY = "electricity", _("Electricity")
        GAS = "gas", _("Gas")

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="contracts")
    number = models.CharField(max_length=20, unique=True)
    energy = models.CharField(max_length=12, choices=Energy.choices)
    # Only what the bank check needs: the last four digits and a keyed fingerprint
    # of the whole IBAN. The full IBAN is never stored in clear, shown or logged.
    iban_last4 = models.CharField(max_length=4, blank=True)
    iban_fingerprint = models.CharField(max_length=64, blank=True)
    # The rest comes from the utility's billing system (``billing.services.import_billing``).
    product = models.CharField(max_length=120, blank=True)
    tariff = models.CharField(max_length=12, blank=True)  # access tariff: "2.0TD", "3.0TD", "6.1TD", gas "RL.1".."RL.4"
    # {"P1": "15.000", ..., "P6": "..."}: kW per tariff period, as decimal strings (no float rounding).
    contracted_power_kw = models.JSONField(default=dict, blank=True)
    payment_day = models.PositiveSmallIntegerField(null=True, blank=True)  # direct-debit day of the month
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(payment_day__isnull=True) | Q(payment_day__gte=1, payment_day__lte=28),
                name="contract_payment_day_1_to_28",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="contract_ends_after_it_starts",
            ),
        ]

    @property
    def pays_by_direct_debit(self) -> bool:
        return bool(self.iban_last4)

    @property
    def masked_iban(self) -> str:
        return f"ES** **** **** **** **** {self.iban_last4}" if self.iban_last4 else ""

    def __str__(self) -> str:
        return self.number


class SupplyPoint(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="supply_points")
    cups = models.CharField(max_length=22, unique=True)
    address = models.CharField(max_length=250)
    city = models.CharField(max_length=100)
    postcode = models.CharField(max_length=5)

    def __str__(self) -> str:
        return self.cups


class Invoice(models.Model):
    """An invoice as the billing system issued it (``billing.services.import_billing``)."""

    class Status(models.TextChoices):
        PAID = "paid", _("Paid")
        PENDING = "pending", _("Pending")
        RETURNED = "returned", _("Returned")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="invoices")
    # NULL for an invoice of the whole contract: only whole-customer authorities see it (``billing.selectors``).
    supply_point = models.ForeignKey(
        SupplyPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.CharField(max_length=20, unique=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    issued_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    total = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # [{"concept": str, "amount": "12.34"}]: amounts before VAT, decimal strings.
    lines = models.JSONField(default=list, blank=True)
    # [{"rate": "21.00", "base": "100.00", "amount": "21.00"}]
    vat = models.JSONField(default=list, blank=True)
    # Key of the PDF in the private document storage; blank = not generated yet.
    pdf_name = models.CharField(max_length=255, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["contract", "-issued_on"]),
            models.Index(fields=["status"]),
            models.Index(fields=["issued_on"]),
            models.Index(fields=["supply_point", "-issued_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["paid", "pending", "returned"]), name="invoice_status_known"
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="invoice_period_in_order",
            ),
        ]

    @property
    def is_paid(self) -> bool:
        return self.status == self.Status.PAID

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on})"


class Grant(models.Model):
    """A person's role on a customer. Revoked grants stay as history."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("Representative")
        AUTHORISED_FULL = "authorised_full", _("Authorised (full access)")
        AUTHORISED_READONLY = "authorised_readonly", _("Authorised (read only)")
        EXTERNAL_MANAGER = "external_manager", _("External manager")

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="grants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    firm = models.ForeignKey(Firm, null=True, blank=True, on_delete=models.PROTECT, related_name="grants")
    delegated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="delegations"
    )
    # An external manager may be limited to some supply points: then ``scope_limited`` is set and
    # ``supply_points`` lists them (an empty list is nothing, never "everything"). A collaborator
    # inherits its manager's scope (``authority``); its own fields stay unset.
    scope_limited = models.BooleanField(default=False)
    supply_points = models.ManyToManyField(SupplyPoint, blank=True, related_name="grants")
    # The name the inviter typed. The customer's pages show it instead of the name the store holds, so that
    # adding a contact never reveals what the store knows about an id number.
    invited_as = models.CharField(max_length=200, blank=True)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(role="representative", revoked_at__isnull=True),
                name="one_active_representative_per_customer",
            ),
            models.UniqueConstraint(
                fields=["customer", "person"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_grant_per_person_and_customer",
            ),
            models.CheckConstraint(
                condition=Q(role="external_manager", firm__isnull=False) | ~Q(role="external_manager"),
                name="external_manager_has_firm",
            ),
            models.CheckConstraint(
                condition=Q(delegated_from__isnull=True) | Q(role__in=["authorised_full", "authorised_readonly"]),
                name="only_authorised_roles_are_delegated",
            ),
            models.CheckConstraint(
                condition=Q(scope_limited=False) | Q(role="external_manager"),
                name="only_external_managers_are_scoped",
            ),
        ]
        indexes = [
            models.Index(
                fields=["person", "customer"], condition=Q(revoked_at__isnull=True), name="active_grants_by_person"
            )
        ]

    def __str__(self) -> str:
        return f"Grant #{self.pk}: {self.role} of person #{self.person_id} on customer #{self.customer_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def is_collaborator(self) -> bool:
        return self.delegated_from_id is not None

    @property
    def display_name(self) -> str:
        """The contact's name as the customer's pages show it (the inviter's words for a contact they added)."""
        return self.invited_as or self.person.name

    @property
    def display_role(self) -> str:
        if self.is_collaborator:
            return str(
                _("Collaborator (full access)")
                if self.role == self.Role.AUTHORISED_FULL
                else _("Collaborator (read only)")
            )
        return str(self.get_role_display())

    def snapshot(self) -> dict:
        return {
            "customer": self.customer_id,
            "person": self.person_id,
            "role": self.role,
            "firm": self.firm_id,
            "delegated_from": self.delegated_from_id,
            "active": self.revoked_at is None,
        } | ({"invited_as": self.invited_as} if self.invited_as else {})


class Invitation(models.Model):
    """A link e-mailed so that a person can set up their login without the bank check.

    It goes to the address the store holds and the person confirmed, or -- only for someone the
    store did not know before -- to the address the inviter typed (``accounts.services``).
    """

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    # What accepting it proves about the person: an inviter's word, an approved request's documents, or staff.
    basis = models.CharField(
        max_length=20, choices=Person.IdentityBasis.choices, default=Person.IdentityBasis.INVITATION
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Invitation #{self.pk} for grant #{self.grant_id} ({self.created_at:%Y-%m-%d})"


class EmailChange(models.Model):
    """A new e-mail address a person asked for, waiting for the link sent to it. Only the token's hash is stored."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    new_email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"E-mail change #{self.pk} of person #{self.person_id} ({self.created_at:%Y-%m-%d})"


class PendingRegistration(models.Model):
    """Registration data waiting for the e-mailed confirmation; nothing is created before it."""

    token_hash = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    phone = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    language = models.CharField(max_length=5)
    password_hash = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Pending registration #{self.pk} for customer #{self.customer_id} ({self.created_at:%Y-%m-%d})"


class FailedAttempt(models.Model):
    """One try at a guessable secret, counted before it is checked and kept while it counts (``accounts.throttle``)."""

    scope = models.CharField(max_length=30)
    key = models.CharField(max_length=100)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]

    def __str__(self) -> str:
        # Not the key: it may be an e-mail address, an id number or an IP address.
        return f"{self.scope} attempt #{self.pk} ({self.at:%Y-%m-%d %H:%M})"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only")

    def delete(self):
        raise TypeError("The audit log is append-only")


class AuditEvent(models.Model):
    """Append-only, hash-chained record of every change (see ``accounts.audit``).

    ``content_hash`` covers the event's own content and is set when it is recorded. The chain fields
    (``chain_seq``, ``prev_hash``, ``hash``) are set once, when the event is *sealed* into the chain:
    at COMMIT on PostgreSQL (a deferred trigger, migration 0004), at insert on SQLite. Until then they
    are NULL. Chain order is ``chain_seq`` (commit order), which need not be ``id`` order.
    """

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=40)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events")
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    reason = models.CharField(max_length=300)
    request_ref = models.CharField(max_length=40, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    chain_seq = models.BigIntegerField(null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 -- NULL until sealed at COMMIT (accounts/audit.py)
    hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    objects = AuditEventQuerySet.as_manager()

    GENESIS_HASH = "0" * 64  # the prev_hash of the first event in the chain

    class Meta:
        indexes = [models.Index(fields=["customer", "-at"]), models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.target_type} {self.target_id} ({self.at:%Y-%m-%d %H:%M})"

    @staticmethod
    def link_hash(prev_hash: str, content_hash: str) -> str:
        """The chain link: sha256 hex of ``prev_hash || content_hash``.

        Exactly what the PostgreSQL sealing trigger computes (migration 0004):
        ``encode(sha256(convert_to(prev_hash || content_hash, 'UTF8')), 'hex')``.
        """
        return hashlib.sha256((prev_hash + content_hash).encode()).hexdigest()

    def canonical(self) -> str:
        """The event's content (everything but the chain fields), as hashed into ``content_hash``."""
        payload = {
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": str(self.target_id),
            "customer": self.customer_id,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
            "request_ref": self.request_ref,
            "ip": self.ip,
        }
        return json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))

    def compute_content_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()

    def compute_hash(self) -> str:
        """The link hash this event should carry, from its stored ``prev_hash`` and ``content_hash``."""
        return self.link_hash(self.prev_hash or "", self.content_hash)

    @property
    def is_sealed(self) -> bool:
        return self.chain_seq is not None

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only")


class CollaboratorBatch(models.Model):
    """An external manager's one-step change of one collaborator on many companies
    (``services.apply_collaborator_batch``), kept so that exactly its changes can be undone (``services.undo_batch``).
    Its reference is written into the reason of every audit event the batch and its undo record."""

    class Kind(models.TextChoices):
        ADD = "add", _("Add")
        REMOVE = "remove", _("Remove")

    reference = models.CharField(max_length=12, unique=True)
    kind = models.CharField(max_length=6, choices=Kind.choices)
    manager = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    collaborator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Grant.Role.choices, blank=True)  # what an addition grants
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["manager", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.reference} ({self.kind}, {self.created_at:%Y-%m-%d %H:%M})"


class CollaboratorBatchItem(models.Model):
    """What a batch did on one company: the grant it created or revoked, or why it left the company alone."""

    class Outcome(models.TextChoices):
        ADDED = "added", _("Added")
        REMOVED = "removed", _("Removed")
        ALREADY = "already", _("Already a collaborator: unchanged")
        OTHER_ROLE = "other_role", _("Holds another role on this company: unchanged")
        NOT_THERE = "not_there", _("Not your collaborator on this company: unchanged")

    class Undo(models.TextChoices):
        UNDONE = "undone", _("Undone")
        CHANGED_SINCE = "changed_since", _("Changed since the batch: left as it is")

    batch = models.ForeignKey(CollaboratorBatch, on_delete=models.CASCADE, related_name="items")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    # The grant the batch created (added) or revoked (removed); None when it changed nothing here.
    grant = models.ForeignKey(Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    undo = models.CharField(max_length=14, choices=Undo.choices, blank=True)
    # The grant an undone removal gave back.
    restored_grant = models.ForeignKey(Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "customer"], name="one_batch_item_per_customer")]

    def __str__(self) -> str:
        return f"{self.batch_id}: customer #{self.customer_id} {self.outcome}"

    @property
    def changed(self) -> bool:
        return self.outcome in (self.Outcome.ADDED, self.Outcome.REMOVED)
