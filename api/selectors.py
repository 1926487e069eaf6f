"""Reads for the API that the pages do not already have in one call, built on the pages' rules
(``portal.selectors.points_rule``, ``authority``). Each costs a fixed number of queries, whatever the rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet

from accounts.models import Contract, Customer, SupplyPoint
from authority import Authority
from billing.selectors import InArray
from portal.selectors import points_rule


def customers_visible(authorities: dict[int, Authority]) -> QuerySet[Customer]:
    return Customer.objects.filter(InArray(F("pk"), sorted(cid for cid, a in authorities.items() if a.can_view)))


def supply_points_visible(authorities: dict[int, Authority]) -> QuerySet[SupplyPoint]:
    """Every supply point within reach, with its contract (the pages' rule, over every customer at once)."""
    rule = points_rule(authorities.values())
    if rule is None:
        return SupplyPoint.objects.none()
    return SupplyPoint.objects.filter(rule).select_related("contract")


def contracts_visible(authorities: dict[int, Authority]) -> QuerySet[Contract]:
    """The contracts of the customers seen whole, and those holding a supply point within a limited scope."""
    whole = [cid for cid, a in authorities.items() if a.can_view and a.whole_customer]
    points = sorted({pk for a in authorities.values() if a.can_view and a.scope for pk in a.scope})
    if not whole and not points:
        return Contract.objects.none()
    rule = Q(InArray(F("customer_id"), whole))
    if points:
        rule |= Q(pk__in=SupplyPoint.objects.filter(InArray(F("pk"), points)).values("contract_id"))
    return Contract.objects.filter(rule)


#: What a random read costs against a sequential one, for the planner, while a list is read. The lists find a firm's
#: hundreds of customers through the indexes of their contracts, supply points and invoices -- pages the database
#: holds in memory. At PostgreSQL's default (4, for disks) it prefers reading the whole supply point or customer
#: table once to a few hundred index reads, the slower plan by far from some ten thousand rows up.
LIST_RANDOM_PAGE_COST = "1.1"


@contextmanager
def index_reads_are_cheap() -> Iterator[None]:
    """Read a list, on PostgreSQL, in one transaction that tells the planner ``LIST_RANDOM_PAGE_COST``."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('random_page_cost', %s, true)", [LIST_RANDOM_PAGE_COST])
        yield
