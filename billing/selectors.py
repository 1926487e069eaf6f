"""Reads of contracts and invoices, as far as ``authority`` lets the person see. Query counts do not grow with rows.

``invoices_visible_to(person, filters=...)`` costs the two queries of ``authority.authorities_of`` (one without a
scope-limited grant) and returns a lazy QuerySet: evaluating or paginating it is one more query each (a count and a
page), whatever the number of customers and invoices. ``contract_for_supply_point`` costs at most five.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db.models import F, Q, QuerySet
from django.db.models.lookups import In

from accounts.identifiers import compact
from accounts.models import Contract, Invoice, Person, SupplyPoint
from authority import Authority, authorities_of, authority_of

#: Sort keys the invoice list offers, and the column each one orders by ("-key" for descending).
INVOICE_SORTS = {
    "issued_on": "issued_on",
    "due_on": "due_on",
    "total": "total",
    "number": "number",
    "customer": "contract__customer__name",
}
DEFAULT_INVOICE_SORT = "-issued_on"
#: How many invoices the contract page lists.
LATEST_INVOICES = 12


@dataclass(frozen=True)
class InvoiceFilters:
    """What the invoice list is narrowed to. Every field is optional; an empty string or None means "any".

    ``customer_id``: one customer (must be one the person sees, or nothing is returned);
    ``customer``: text contained in the customer's name or tax id (case-insensitive);
    ``cups``: a CUPS or its beginning (spaces and dashes ignored);
    ``issued_from`` / ``issued_to``: issue date, both ends included;
    ``status``: one of ``Invoice.Status`` (paid, pending, returned);
    ``amount_min`` / ``amount_max``: the total with VAT, both ends included;
    ``sort``: a key of ``INVOICE_SORTS``, prefixed by "-" for descending (unknown keys fall back to the default).
    """

    customer_id: int | None = None
    customer: str = ""
    cups: str = ""
    issued_from: date | None = None
    issued_to: date | None = None
    status: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    sort: str = DEFAULT_INVOICE_SORT


def invoice_ordering(sort: str) -> list[str]:
    """The ``order_by`` arguments for a sort key such as "total" or "-issued_on" (ties broken by id)."""
    descending = sort.startswith("-")
    column = INVOICE_SORTS.get(sort.lstrip("-"))
    if column is None:
        return invoice_ordering(DEFAULT_INVOICE_SORT)
    return [f"-{column}", "-id"] if descending else [column, "id"]


class InArray(In):
    """``InArray(F("column"), ids)``: ``column IN ids``, the ids sent to PostgreSQL as one array (``= ANY(...)``, what
    it makes of an IN list anyway: the same rows and plan), not as a placeholder, a quoting and a preparation per id
    -- milliseconds at a firm's hundreds of customers. Elsewhere a plain IN list."""

    def as_postgresql(self, compiler, connection):
        ids = [value for value in self.rhs if value is not None]
        if not ids:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::{self.lhs.output_field.db_type(connection)}[])", (*lhs_params, ids)


def visibility(authorities: dict[int, Authority] | list[Authority]) -> Q | None:
    """The invoices these authorities may see, as a filter; None when they see none.

    A whole-customer authority sees every invoice of the customer; a scope-limited one only the invoices of its
    supply points (never those of the whole contract, which have no supply point). An invoice's supply point
    belongs to the invoice's contract (``billing.services`` checks it on import), and a scope only holds
    supply points of its own customer (``accounts.services``), so the supply points alone decide.
    """
    items = authorities.values() if isinstance(authorities, dict) else authorities
    whole, scoped, points = [], [], set()
    for auth in items:
        if not auth.can_view:
            continue
        if auth.whole_customer:
            whole.append(auth.customer_id)
        elif auth.scope:
            scoped.append(auth.customer_id)
            points |= auth.scope
    if not whole and not points:
        return None
    rule = Q(InArray(F("contract__customer_id"), whole)) if whole else Q(pk__in=[])
    if points:
        rule |= Q(InArray(F("contract__customer_id"), scoped), InArray(F("supply_point_id"), sorted(points)))
    return rule


def invoices_visible_to(
    person: Person | None,
    *,
    filters: InvoiceFilters | None = None,
    authorities: dict[int, Authority] | None = None,
) -> QuerySet[Invoice]:
    """The invoices ``person`` may see, narrowed by ``filters`` and sorted, with contract, customer and supply
    point joined in (no query per row). Pass ``authorities`` when the caller already holds
    ``authorities_of(person)`` to save its queries."""
    filters = filters or InvoiceFilters()
    if authorities is None:
        authorities = authorities_of(person)
    rule = visibility(authorities)
    if rule is None:
        return Invoice.objects.none()
    invoices = Invoice.objects.filter(rule).select_related("contract__customer", "supply_point")
    if filters.customer_id is not None:
        invoices = invoices.filter(contract__customer_id=filters.customer_id)
    text = (filters.customer or "").strip()
    if text:
        invoices = invoices.filter(
            Q(contract__customer__name__icontains=text) | Q(contract__customer__tax_id__icontains=compact(text))
        )
    cups = compact(filters.cups or "")
    if cups:
        invoices = invoices.filter(supply_point__cups__startswith=cups)
    if filters.issued_from:
        invoices = invoices.filter(issued_on__gte=filters.issued_from)
    if filters.issued_to:
        invoices = invoices.filter(issued_on__lte=filters.issued_to)
    if filters.status:
        invoices = invoices.filter(status=filters.status)
    if filters.amount_min is not None:
        invoices = invoices.filter(total__gte=filters.amount_min)
    if filters.amount_max is not None:
        invoices = invoices.filter(total__lte=filters.amount_max)
    return invoices.order_by(*invoice_ordering(filters.sort or DEFAULT_INVOICE_SORT))


def invoice_visible_to(person: Person | None, invoice_id: int) -> Invoice | None:
    """One invoice, if ``person`` may see it (for its PDF); None otherwise. At most four queries."""
    invoice = Invoice.objects.select_related("contract__customer", "supply_point").filter(pk=invoice_id).first()
    if invoice is None:
        return None
    rule = visibility([authority_of(person, invoice.contract.customer_id)])
    if rule is None or not Invoice.objects.filter(rule, pk=invoice.pk).exists():
        return None
    return invoice


@dataclass
class ContractPage:
    """What the contract page of a supply point shows."""

    authority: Authority
    contract: Contract
    supply_point: SupplyPoint
    #: The contract's supply points within the person's reach (all of them for a whole-customer authority).
    supply_points: list[SupplyPoint] = field(default_factory=list)
    #: The newest invoices of the contract the person may see (at most ``LATEST_INVOICES``).
    invoices: list[Invoice] = field(default_factory=list)


def contract_for_supply_point(person: Person | None, supply_point_id: int) -> ContractPage | None:
    """The contract behind a supply point, its supply points and latest invoices, or None when the person may not
    see that supply point (or it does not exist). At most five queries."""
    point = SupplyPoint.objects.select_related("contract__customer").filter(pk=supply_point_id).first()
    if point is None:
        return None
    auth = authority_of(person, point.contract.customer_id)
    if not auth.can_view or not auth.sees_supply_point(point.pk):
        return None
    contract = point.contract
    points = [sp for sp in contract.supply_points.order_by("cups") if auth.sees_supply_point(sp.pk)]
    rule = visibility([auth])
    invoices = list(
        Invoice.objects.filter(rule, contract=contract)
        .select_related("supply_point")
        .order_by(*invoice_ordering(DEFAULT_INVOICE_SORT))[:LATEST_INVOICES]
    )
    return ContractPage(authority=auth, contract=contract, supply_point=point, supply_points=points, invoices=invoices)
