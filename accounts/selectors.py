"""Reads about who may see and do what. Query counts do not grow with the rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone

from .models import Customer, FailedAttempt, Grant, Invitation, Invoice, Person, SupplyPoint

Role = Grant.Role
ROLE_ORDER = (Role.REPRESENTATIVE, Role.EXTERNAL_MANAGER, Role.AUTHORISED_FULL, Role.AUTHORISED_READONLY)


@dataclass(frozen=True)
class Capabilities:
    """What one person may do on one customer, decided from their active grant."""

    grant: Grant | None

    @property
    def can_view(self) -> bool:
        return self.grant is not None

    @property
    def can_manage_contacts(self) -> bool:
        return self.grant is not None and self.grant.role == Role.REPRESENTATIVE

    @property
    def can_manage_collaborators(self) -> bool:
        return self.grant is not None and self.grant.role == Role.EXTERNAL_MANAGER

    @property
    def can_change(self) -> bool:
        return self.can_manage_contacts or self.can_manage_collaborators

    @property
    def can_request_changes(self) -> bool:
        return self.grant is not None and self.grant.role in (Role.REPRESENTATIVE, Role.AUTHORISED_FULL, Role.EXTERNAL_MANAGER)

    def may_edit(self, target: Grant) -> bool:
        """May this person change or deactivate ``target`` (a grant on the same customer)?"""
        if self.grant is None or target.customer_id != self.grant.customer_id or target.pk == self.grant.pk:
            return False
        if not target.is_active:
            return False
        if self.can_manage_contacts:
            return target.role != Role.REPRESENTATIVE
        if self.can_manage_collaborators:
            return target.delegated_from_id == self.grant.pk
        return False

    def may_change_role(self, target: Grant) -> bool:
        return self.may_edit(target) and target.role in (Role.AUTHORISED_FULL, Role.AUTHORISED_READONLY)


def active_grant(person: Person | None, customer_id: int) -> Grant | None:
    if person is None:
        return None
    return (
        Grant.objects.select_related("customer", "firm")
        .filter(person=person, customer_id=customer_id, revoked_at__isnull=True)
        .first()
    )


def capabilities(person: Person | None, customer_id: int) -> Capabilities:
    return Capabilities(grant=active_grant(person, customer_id))


@dataclass
class CustomerSupplies:
    customer: Customer
    grant: Grant
    supply_points: list[SupplyPoint] = field(default_factory=list)


def supplies_visible_to(person: Person) -> list[CustomerSupplies]:
    """Supply points linked to ``person``, grouped by customer, with their grant. Three queries."""
    grants = list(
        Grant.objects.filter(person=person, revoked_at__isnull=True)
        .select_related("customer", "firm")
        .prefetch_related(Prefetch("supply_points", queryset=SupplyPoint.objects.only("id")))
        .order_by("customer__name", "customer_id")
    )
    if not grants:
        return []
    points = (
        SupplyPoint.objects.filter(contract__customer__in=[g.customer_id for g in grants])
        .select_related("contract")
        .order_by("contract__customer_id", "cups")
    )
    by_customer: dict[int, list[SupplyPoint]] = {}
    for point in points:
        by_customer.setdefault(point.contract.customer_id, []).append(point)
    result = []
    for grant in grants:
        visible = by_customer.get(grant.customer_id, [])
        scope = {sp.pk for sp in grant.supply_points.all()}
        if scope:
            visible = [sp for sp in visible if sp.pk in scope]
        result.append(CustomerSupplies(customer=grant.customer, grant=grant, supply_points=visible))
    return result


def contacts_of(customer_id: int) -> QuerySet[Grant]:
    """Active grants on a customer with everything the contacts page shows. One query."""
    return (
        Grant.objects.filter(customer_id=customer_id, revoked_at__isnull=True)
        .select_related("person", "firm", "delegated_from__person")
        .annotate(role_rank=Case(*(When(role=role, then=Value(rank)) for rank, role in enumerate(ROLE_ORDER)), output_field=IntegerField()))
        .order_by("role_rank", "delegated_from_id", "person__name")
    )


def is_locked_out(*, scope: str, key: str) -> bool:
    since = timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)
    return FailedAttempt.objects.filter(scope=scope, key=key[:100], at__gte=since).count() >= settings.LOCKOUT_MAX_ATTEMPTS


def holder_by_tax_id(tax_id: str) -> Customer | None:
    return Customer.objects.filter(tax_id=tax_id).first()


def proof_matches(*, customer: Customer, bank_last4: str = "", invoice_total=None) -> bool:
    """The registration / caller proof.

    The last 4 digits of a direct-debit account; or, only for a holder with no
    direct debit, the total of one of its last three paid invoices.
    """
    if bank_last4:
        return customer.contracts.filter(iban_last4=bank_last4).exists()
    if invoice_total is not None and not pays_by_direct_debit(customer):
        recent = Invoice.objects.filter(contract__customer=customer, paid=True).order_by("-issued_on", "-id").values_list("total", flat=True)[:3]
        return any(total == invoice_total for total in recent)
    return False


def pays_by_direct_debit(customer: Customer) -> bool:
    return customer.contracts.exclude(iban_last4="").exists()


def invitation_by_token(token: str) -> Invitation | None:
    from .services import hash_token

    return Invitation.objects.select_related("grant__person", "grant__customer").filter(token_hash=hash_token(token)).first()
