"""billing.selectors: which invoices and contracts each person sees, filtered and sorted, in constant queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Grant, Invoice
from authority import authorities_of
from billing.selectors import (
    LATEST_INVOICES,
    InvoiceFilters,
    contract_for_supply_point,
    invoice_visible_to,
    invoices_visible_to,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def add_point_invoices(customer, *, per_point: int = 2, status: str = "paid") -> dict[int, list[Invoice]]:
    """``per_point`` invoices on each supply point of the customer's contract, besides the factories' four of the
    whole contract."""
    contract = customer.contracts.get()
    made = {}
    for point in contract.supply_points.order_by("pk"):
        made[point.pk] = [
            Invoice.objects.create(
                contract=contract,
                supply_point=point,
                number=f"SP{point.pk:05d}{m:02d}",
                issued_on=date(2026, 1 + m, 10),
                due_on=date(2026, 1 + m, 20),
                total=Decimal(100 + point.pk % 50 + m),
                status=status,
            )
            for m in range(per_point)
        ]
    return made


@pytest.fixture
def world(story):
    """The story's company with invoices on each supply point; a scoped manager (first point) and its
    collaborator; a stranger; the outsider's company with invoices of its own."""
    contract = story.customer.contracts.get()
    points = list(contract.supply_points.order_by("pk"))
    by_point = add_point_invoices(story.customer)
    add_point_invoices(story.other_customer)
    scoped = f.person(login=True)
    scoped_grant = f.grant(
        customer=story.customer, person=scoped, role="external_manager", firm=story.firm, supply_points=[points[0]]
    )
    scoped_collaborator = f.person(login=True)
    f.grant(
        customer=story.customer, person=scoped_collaborator, role="authorised_readonly", delegated_from=scoped_grant
    )
    people = story.people() | {
        "scoped_manager": scoped,
        "scoped_collaborator": scoped_collaborator,
        "stranger": f.person(login=True),
    }
    ours = set(Invoice.objects.filter(contract=contract).values_list("number", flat=True))
    theirs = set(Invoice.objects.filter(contract__customer=story.other_customer).values_list("number", flat=True))
    first_point = {i.number for i in by_point[points[0].pk]}
    expected = {
        "representative": ours,
        "authorised_full": ours,
        "authorised_readonly": ours,
        "external_manager": ours,
        "collaborator": ours,
        "scoped_manager": first_point,
        "scoped_collaborator": first_point,
        "outsider": theirs,
        "stranger": set(),
    }
    return story, people, expected, points


@pytest.mark.parametrize(
    "role",
    [
        "representative",
        "authorised_full",
        "authorised_readonly",
        "external_manager",
        "collaborator",
        "scoped_manager",
        "scoped_collaborator",
        "outsider",
        "stranger",
    ],
)
def test_each_role_sees_the_invoices_its_grant_chain_and_scope_allow(world, role):
    story, people, expected, _ = world
    seen = set(invoices_visible_to(people[role]).values_list("number", flat=True))
    assert seen == expected[role]


def test_a_scoped_manager_never_sees_the_invoices_of_the_whole_contract(world):
    story, people, _, _ = world
    seen = invoices_visible_to(people["scoped_manager"])
    assert seen.exists() and not seen.filter(supply_point__isnull=True).exists()


def test_a_collaborator_loses_the_invoices_with_its_managers_grant(world):
    story, people, _, _ = world
    Grant.objects.filter(pk=story.collaborator_grant.pk).update(revoked_at=f.timezone.now())
    assert not invoices_visible_to(people["collaborator"]).exists()


def test_nobody_logged_out_sees_anything(world):
    assert not invoices_visible_to(None).exists()


def test_filters_narrow_the_list(world):
    story, people, _, points = world
    rep = people["representative"]

    def numbers(**filters) -> set[str]:
        return set(invoices_visible_to(rep, filters=InvoiceFilters(**filters)).values_list("number", flat=True))

    everything = numbers()
    assert numbers(customer_id=story.customer.pk) == everything
    assert numbers(customer_id=story.other_customer.pk) == set()  # not one of theirs: nothing, not an error
    assert numbers(customer=story.customer.tax_id.lower()) == everything
    assert numbers(customer="no such name") == set()
    first = numbers(cups=f" {points[0].cups[:6]}-{points[0].cups[6:].lower()}")  # spaces, dashes, case: ignored
    assert first and first == {i.number for i in Invoice.objects.filter(supply_point=points[0])}
    january = numbers(issued_from=date(2026, 1, 1), issued_to=date(2026, 1, 31))
    assert january == set(
        Invoice.objects.filter(contract__customer=story.customer, issued_on__month=1, issued_on__year=2026).values_list(
            "number", flat=True
        )
    )
    Invoice.objects.filter(number__in=list(january)).update(status="returned")
    assert numbers(status="returned") == january
    assert numbers(amount_min=Decimal("120"), amount_max=Decimal("130")) == set(
        Invoice.objects.filter(contract__customer=story.customer, total__gte=120, total__lte=130).values_list(
            "number", flat=True
        )
    )


@pytest.mark.parametrize("sort", ["issued_on", "-issued_on", "total", "-total", "due_on", "number", "-customer"])
def test_the_list_sorts_by_each_key(world, sort):
    story, people, _, _ = world
    rows = list(invoices_visible_to(people["representative"], filters=InvoiceFilters(sort=sort)))
    key = {"customer": lambda i: i.contract.customer.name}.get(sort.lstrip("-"), lambda i: getattr(i, sort.lstrip("-")))
    values = [key(row) for row in rows if key(row) is not None]
    assert values == sorted(values, reverse=sort.startswith("-"))


def test_an_unknown_sort_key_falls_back_to_newest_first(world):
    story, people, _, _ = world
    rows = list(invoices_visible_to(people["representative"], filters=InvoiceFilters(sort="password")))
    assert [r.issued_on for r in rows] == sorted((r.issued_on for r in rows), reverse=True)


def test_the_invoice_list_costs_the_same_queries_for_one_customer_as_for_sixty(db):
    """A firm's manager: authorities (1-2 queries) + the page; rows and customers joined, not queried per row."""
    firm = f.firm()
    manager = f.person(login=True)

    def cost(companies: int) -> int:
        for _ in range(companies):
            customer = f.customer(supply_points=2)
            add_point_invoices(customer, per_point=3)
            grant = f.grant(customer=customer, person=manager, role="external_manager", firm=firm)
            if companies > 1:  # some limited to one supply point: the scope's query too
                grant.scope_limited = True
                grant.save(update_fields=["scope_limited"])
                grant.supply_points.set([customer.contracts.get().supply_points.first()])
        with CaptureQueriesContext(connection) as captured:
            rows = list(invoices_visible_to(manager, filters=InvoiceFilters(sort="-customer"))[:50])
            assert all(
                row.contract.customer.name and (row.supply_point is None or row.supply_point.cups) for row in rows
            )
        return len(captured)

    one = cost(1)
    many = cost(59)
    assert many <= one + 1  # + the scope's query, once, whatever the number of scoped grants
    assert many <= 3


def test_the_contract_page_of_a_supply_point(world):
    story, people, _, points = world
    page = contract_for_supply_point(people["authorised_readonly"], points[1].pk)
    assert page.contract == story.customer.contracts.get() and page.supply_point == points[1]
    assert page.supply_points == points
    assert len(page.invoices) == min(LATEST_INVOICES, Invoice.objects.filter(contract=page.contract).count())
    assert [i.issued_on for i in page.invoices] == sorted((i.issued_on for i in page.invoices), reverse=True)


def test_the_contract_page_for_a_scoped_manager_shows_only_its_supply_points_and_their_invoices(world):
    story, people, expected, points = world
    page = contract_for_supply_point(people["scoped_manager"], points[0].pk)
    assert page.supply_points == [points[0]]
    assert {i.number for i in page.invoices} == expected["scoped_manager"]
    assert contract_for_supply_point(people["scoped_manager"], points[1].pk) is None


@pytest.mark.parametrize("role", ["outsider", "stranger"])
def test_the_contract_page_is_none_for_someone_who_may_not_see_it(world, role):
    story, people, _, points = world
    assert contract_for_supply_point(people[role], points[0].pk) is None
    assert contract_for_supply_point(people["representative"], 10**9) is None


def test_the_contract_page_costs_a_constant_number_of_queries(world):
    story, people, _, points = world
    with CaptureQueriesContext(connection) as captured:
        contract_for_supply_point(people["scoped_collaborator"], points[0].pk)
    assert len(captured) <= 5


def test_one_invoice_is_found_only_by_who_may_see_it(world):
    story, people, _, points = world
    whole = Invoice.objects.filter(contract__customer=story.customer, supply_point__isnull=True).first()
    second = Invoice.objects.filter(supply_point=points[1]).first()
    assert invoice_visible_to(people["representative"], whole.pk) == whole
    assert invoice_visible_to(people["scoped_manager"], whole.pk) is None
    assert invoice_visible_to(people["scoped_manager"], second.pk) is None
    assert invoice_visible_to(people["outsider"], second.pk) is None
    assert invoice_visible_to(people["representative"], 10**9) is None


def test_authorities_held_by_the_caller_save_their_queries(world):
    story, people, _, _ = world
    authorities = authorities_of(people["representative"])
    with CaptureQueriesContext(connection) as captured:
        list(invoices_visible_to(people["representative"], authorities=authorities))
    assert len(captured) == 1
