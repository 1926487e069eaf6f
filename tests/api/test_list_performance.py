"""The API's lists at a firm's scale (``benchmarks/api_bench.py``): the same answers as the rule, read cheaply --
the grants without joining every customer, the ids as one array, a fixed and small number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

import authority
from accounts.models import SupplyPoint
from billing.selectors import InArray
from tests import factories as f
from tests.api.conftest import ApiClient, make_token


def _answers(authorities: dict[int, authority.Authority]) -> dict[int, tuple]:
    return {cid: (a.grant.pk, a.scope, a.actions) for cid, a in authorities.items()}


@pytest.fixture
def firm_person(db):
    """A person who represents one company, reads another, manages a third for two of its three supply points, and
    collaborates for a manager limited to one supply point of a fourth."""
    person = f.person(login=True)
    f.grant(customer=f.customer(supply_points=1), person=person, role="representative")
    f.grant(customer=f.customer(supply_points=1), person=person, role="authorised_readonly")
    scoped = f.customer(supply_points=3)
    f.grant(
        customer=scoped,
        person=person,
        role="external_manager",
        firm=f.firm(),
        supply_points=list(scoped.contracts.get().supply_points.order_by("pk")[:2]),
    )
    inherited = f.customer(supply_points=2)
    manager = f.grant(
        customer=inherited,
        person=f.person(),
        role="external_manager",
        firm=f.firm(),
        supply_points=list(inherited.contracts.get().supply_points.order_by("pk")[:1]),
    )
    f.grant(customer=inherited, person=person, role="authorised_full", delegated_from=manager)
    f.customer(supply_points=2)  # nobody's: never listed
    return person


def test_authorities_without_customers_answer_the_same_without_reading_the_customers(firm_person):
    full = authority.authorities_of(firm_person)
    with CaptureQueriesContext(connection) as captured:
        lean = authority.authorities_of(firm_person, with_customers=False)
    assert _answers(lean) == _answers(full) and len(lean) == 4
    assert list(lean) == sorted(lean)
    assert len(captured) == 2  # the grants, the scopes
    assert not any('"accounts_customer"' in q["sql"] for q in captured.captured_queries)


def test_the_supply_point_list_shows_what_the_rule_shows(firm_person):
    api = ApiClient(make_token(firm_person)[1])
    listed = {row["id"] for row in api.get("/api/v1/supply-points/", {"page_size": 200}).json()["results"]}
    expected = set()
    for found in authority.authorities_of(firm_person).values():
        points = SupplyPoint.objects.filter(contract__customer_id=found.customer_id).values_list("pk", flat=True)
        expected |= {pk for pk in points if found.sees_supply_point(pk)}
    assert listed == expected and len(expected) == 1 + 1 + 2 + 1


def test_the_invoice_filter_by_customer_checks_it_as_the_page_does(story, api_for):
    api = api_for(story.representative)
    mine = api.get("/api/v1/invoices/", {"customer": story.customer.pk})
    assert mine.status_code == 200 and mine.json()["results"]
    assert {row["customer"] for row in mine.json()["results"]} == {story.customer.pk}
    for other in (story.other_customer.pk, f"0{story.customer.pk}", 10**12):
        refused = api.get("/api/v1/invoices/", {"customer": other})
        assert refused.status_code == 400 and "customer" in refused.json()["error"]["fields"]


def test_in_array_keeps_the_meaning_of_an_in_list(db):
    points = [f.customer(supply_points=1).contracts.get().supply_points.get() for _ in range(3)]
    ids = [p.pk for p in points]
    assert set(SupplyPoint.objects.filter(InArray(F("pk"), ids[:2]))) == set(points[:2])
    assert not SupplyPoint.objects.filter(InArray(F("pk"), []))
    either = SupplyPoint.objects.filter(Q(InArray(F("pk"), [])) | Q(InArray(F("contract__customer_id"), [None])))
    assert not either
    assert list(SupplyPoint.objects.filter(Q(InArray(F("pk"), [])) | Q(pk=ids[2]))) == [points[2]]


def _firm_of(companies: int) -> ApiClient:
    person = f.person(login=True)
    firm = f.firm()
    for _ in range(companies):
        f.grant(
            customer=f.customer(supply_points=1, invoices=("10.00",)), person=person, role="external_manager", firm=firm
        )
    api = ApiClient(make_token(person)[1])
    api.get("/api/v1/customers/")  # the token's first use is noted once (``api.services.note_use``)
    return api


@pytest.mark.parametrize("path", ["/api/v1/supply-points/", "/api/v1/invoices/"])
def test_a_firms_list_costs_a_fixed_few_queries_and_sends_its_ids_as_one_array(db, path):
    api = _firm_of(30)
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, {"page_size": 100})
    assert response.status_code == 200 and len(response.json()["results"]) == 30
    statements = [q["sql"] for q in captured.captured_queries]
    reads = [s for s in statements if s.startswith("SELECT") and "set_config" not in s]
    # the token, "still any grant", the rate limit's count, the grants, the page
    assert len(reads) == 5, statements
    assert "= ANY(" in reads[-1] and reads[-1].count(", ") < 100
    assert not any('"accounts_customer"' in s for s in reads[:-1])


@pytest.mark.django_db(transaction=True)
def test_the_planner_setting_of_a_list_ends_with_its_transaction():
    api = _firm_of(2)
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        before = cursor.fetchone()[0]
    assert api.get("/api/v1/supply-points/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == before
