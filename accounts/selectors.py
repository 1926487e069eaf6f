"""Reads about who may see and do what. Query counts do not grow with the rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from .models import Customer, EmailChange, Grant, Invitation, Invoice, SupplyPoint

Role = Grant.Role
ROLE_ORDER = (Role.REPRESENTATIVE, Role.EXTERNAL_MANAGER, Role.AUTHORISED_FULL, Role.AUTHORISED_READONLY)


@dataclass
class CustomerSupplies:
    customer: Customer
    grant: Grant
    supply_points: list[SupplyPoint] = field(default_factory=list)


def supplies_visible_to(authorities) -> list[CustomerSupplies]:
    """The supply points within reach of each ``authority.Authority`` given (one per customer), grouped by
    customer with the grant. One query whatever their number."""
    authorities = [a for a in authorities if a.active]
    if not authorities:
        return []
    points = (
        SupplyPoint.objects.filter(contract__customer__in=[a.customer_id for a in authorities])
        .select_related("contract")
        .order_by("contract__customer_id", "cups")
    )
    by_customer: dict[int, list[SupplyPoint]] = {}
    for point in points:
        by_customer.setdefault(point.contract.customer_id, []).append(point)
    return [
        CustomerSupplies(
            customer=a.grant.customer,
            grant=a.grant,
            supply_points=[sp for sp in by_customer.get(a.customer_id, []) if a.sees_supply_point(sp.pk)],
        )
        for a in authorities
    ]


def contacts_of(customer_id: int) -> QuerySet[Grant]:
    """Active grants on a customer with everything the contacts page shows. One query."""
    return (
        Grant.objects.filter(customer_id=customer_id, revoked_at__isnull=True)
        .select_related("person", "firm", "delegated_from__person")
        .annotate(
            role_rank=Case(
                *(When(role=role, then=Value(rank)) for rank, role in enumerate(ROLE_ORDER)),
                output_field=IntegerField(),
            )
        )
        .order_by("role_rank", "delegated_from_id", "person__name")
    )


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
        recent = (
            Invoice.objects.filter(contract__customer=customer, status=Invoice.Status.PAID)
            .order_by("-issued_on", "-id")
            .values_list("total", flat=True)[:3]
        )
        return any(total == invoice_total for total in recent)
    return False


def pays_by_direct_debit(customer: Customer) -> bool:
    return customer.contracts.exclude(iban_last4="").exists()


def invitation_by_token(token: str) -> Invitation | None:
    from .services import hash_token

    return (
        Invitation.objects.select_related("grant__person", "grant__customer")
        .filter(token_hash=hash_token(token))
        .first()
    )


def pending_email_change(person) -> EmailChange | None:
    """The new e-mail address the person asked for and has not confirmed yet (the latest ask; earlier ones lapse)."""
    return (
        EmailChange.objects.filter(person=person, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at", "-pk")
        .first()
    )
