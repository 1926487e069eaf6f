"""The invoice list: who sees which invoices, the filters (good and bad values), sorting, pages, query counts."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Invoice
from portal.billing import last_quarter
from tests import factories as f
from tests.portal.billing_setup import ROLES, BillingStory, add_invoices
from tests.portal.helpers import login_as, use_language

pytestmark = pytest.mark.django_db
URL = reverse("portal:invoices")
NUMBER = re.compile(r'name="invoice" value="\d+" aria-label="[^"]*?(FB\d{8}|TF\d{8})')


@pytest.fixture
def billing(db):
    return BillingStory()


def listed(response) -> set[str]:
    return set(NUMBER.findall(response.content.decode()))


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_exactly_the_invoices_the_role_may_see(client, billing, role):
    login_as(client, billing.people()[role])
    response = client.get(URL)
    assert response.status_code == 200
    assert listed(response) == billing.expected_numbers(role)


def test_a_scoped_manager_never_sees_invoices_of_the_whole_contract_or_of_other_points(client, billing):
    login_as(client, billing.scoped_manager)
    shown = listed(client.get(URL))
    other_point = {i.number for i in billing.point_invoices[billing.points[1].pk]}
    whole_contract = set(
        Invoice.objects.filter(contract=billing.contract, supply_point__isnull=True).values_list("number", flat=True)
    )
    assert whole_contract and other_point
    assert not shown & (other_point | whole_contract)


def test_the_list_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_company_filter_for_a_company_one_may_not_see_is_an_error_not_a_leak(client, billing):
    login_as(client, billing.outsider)
    response = client.get(URL, {"customer": billing.customer.pk})
    assert response.status_code == 400
    assert listed(response) == billing.expected_numbers("outsider")


def test_filters_narrow_the_list(client, billing):
    login_as(client, billing.representative)
    first_point = billing.points[0]
    by_cups = listed(client.get(URL, {"cups": first_point.cups}))
    assert by_cups == {i.number for i in billing.point_invoices[first_point.pk]}
    assert listed(client.get(URL, {"cups": first_point.cups[:10]})) >= by_cups

    returned = add_invoices(billing.contract, count=1, status=Invoice.Status.RETURNED, total=Decimal("999.99"))[0]
    assert listed(client.get(URL, {"status": "returned"})) == {returned.number}
    assert listed(client.get(URL, {"amount_min": "999,99", "amount_max": "1.000"})) == {returned.number}
    assert listed(client.get(URL, {"amount_min": "1.000,00"})) == set()

    assert listed(client.get(URL, {"holder": billing.customer.tax_id})) == billing.expected_numbers("representative")
    assert listed(client.get(URL, {"holder": "no such company"})) == set()
    assert listed(client.get(URL, {"customer": billing.customer.pk})) == billing.expected_numbers("representative")

    newest = Invoice.objects.filter(contract=billing.contract).order_by("-issued_on").first().issued_on
    in_range = listed(client.get(URL, {"issued_from": newest.isoformat(), "issued_to": newest.isoformat()}))
    assert in_range == set(
        Invoice.objects.filter(contract=billing.contract, issued_on=newest).values_list("number", flat=True)
    )


def test_a_person_of_many_companies_filters_by_one(client):
    person = f.person(login=True)
    companies = [f.customer() for _ in range(3)]
    for company in companies:
        f.grant(customer=company, person=person, role="authorised_readonly")
    login_as(client, person)
    response = client.get(URL, {"customer": companies[1].pk})
    assert listed(response) == set(
        Invoice.objects.filter(contract__customer=companies[1]).values_list("number", flat=True)
    )
    assert f'value="{companies[2].pk}"' in response.content.decode()  # every company is offered in the select


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("issued_from", "2026-13-40"),
        ("issued_to", "yesterday"),
        ("amount_min", "abc"),
        ("amount_max", "-5"),
        ("customer", "not-a-number"),
        ("status", "lost"),
    ],
)
def test_a_bad_filter_value_shows_an_error_and_leaves_the_list_unfiltered_by_it(client, billing, field, value):
    login_as(client, billing.representative)
    use_language(client, "es")
    response = client.get(URL, {field: value, "cups": billing.points[0].cups})
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(rf'id="field-{field}">.*?<ul class="errorlist"', page, re.S), page
    # The good filter still applies; the bad one is left out.
    assert listed(response) == {i.number for i in billing.point_invoices[billing.points[0].pk]}


def test_bad_filter_errors_are_translated(client, billing):
    login_as(client, billing.representative)
    use_language(client, "es")
    page = client.get(URL, {"issued_from": "2026-13-40", "amount_min": "abc"}).content.decode()
    assert "Escribe una fecha válida." in page  # our catalogue, in the informal register, over Django's formal one
    assert "Introduce un importe como 123,45." in page


def test_an_upside_down_range_is_an_error(client, billing):
    login_as(client, billing.representative)
    response = client.get(URL, {"issued_from": "2026-10-01", "issued_to": "2026-01-01"})
    assert response.status_code == 400
    # The end is the bad value: left out; the start still filters.
    assert listed(response) == set(
        Invoice.objects.filter(contract=billing.contract, issued_on__gte=date(2026, 10, 1)).values_list(
            "number", flat=True
        )
    )


def test_last_quarter_is_the_previous_calendar_quarter():
    assert last_quarter(date(2026, 12, 6)) == (date(2026, 7, 1), date(2026, 9, 30))
    assert last_quarter(date(2026, 1, 1)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert last_quarter(date(2026, 4, 30)) == (date(2026, 1, 1), date(2026, 3, 31))


def test_the_last_quarter_link_keeps_the_other_filters(client, billing):
    login_as(client, billing.representative)
    page = client.get(URL, {"cups": billing.points[0].cups, "page": "2"}).content.decode()
    link = re.search(r'id="last-quarter" href="([^"]+)"', page).group(1)
    assert f"cups={billing.points[0].cups}" in link and "issued_from=" in link and "issued_to=" in link
    assert "page=" not in link


def test_sorting_by_each_column_and_links_that_keep_the_filters(client, billing):
    login_as(client, billing.representative)
    for sort, key in [("total", lambda i: (i.total, i.pk)), ("-issued_on", lambda i: (i.issued_on, i.pk))]:
        page = client.get(URL, {"sort": sort}).content.decode()
        shown = NUMBER.findall(page)
        expected = sorted(Invoice.objects.filter(contract=billing.contract), key=key, reverse=sort.startswith("-"))
        assert shown == [i.number for i in expected]
    page = client.get(URL, {"status": "paid", "sort": "total"}).content.decode()
    link = re.search(r'<th scope="col" aria-sort="ascending" class="amount"><a href="([^"]+)"', page).group(1)
    assert "status=paid" in link and "sort=-total" in link
    # An unknown sort key falls back to the default order, never an error.
    assert client.get(URL, {"sort": "password"}).status_code == 200


def test_pages_of_fifty(client, billing):
    add_invoices(billing.contract, count=120, supply_point=billing.points[1])
    login_as(client, billing.representative)
    first = client.get(URL, {"sort": "number", "status": "paid"})
    page = first.content.decode()
    assert len(NUMBER.findall(page)) == 50
    next_page = re.search(r'href="([^"]+)" rel="next"', page).group(1)
    assert "status=paid" in next_page and "sort=number" in next_page and "page=2" in next_page
    third = client.get(URL, {"sort": "number", "status": "paid", "page": "3"})
    total = Invoice.objects.filter(contract=billing.contract, status="paid").count()
    assert len(NUMBER.findall(third.content.decode())) == total - 100
    assert client.get(URL, {"page": "999"}).status_code == 200  # past the end: the last page
    assert client.get(URL, {"page": "x"}).status_code == 200


def _count(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_companies_or_invoices(client):
    person = f.person(login=True)
    manager_firm = f.firm()
    first = f.customer()
    f.grant(customer=first, person=person, role="external_manager", firm=manager_firm)
    for _ in range(4):
        f.grant(customer=f.customer(invoices=("10.00",)), person=person, role="external_manager", firm=manager_firm)
    contract = first.contracts.get()
    add_invoices(contract, count=2, supply_point=contract.supply_points.first())
    login_as(client, person)
    few = _count(client)
    few_filtered = _count(client, cups="ES0031", status="paid", amount_min="1")
    for _ in range(55):
        f.grant(customer=f.customer(invoices=("10.00",)), person=person, role="external_manager", firm=manager_firm)
    add_invoices(contract, count=500, supply_point=contract.supply_points.first())
    assert _count(client) == few
    assert _count(client, cups="ES0031", status="paid", amount_min="1") == few_filtered
    print(f"/invoices/ queries: {few} (filtered {few_filtered}) for 5 and 60 companies, 10 and 500+ invoices")
    assert _count(client, page="3") == few


def test_query_count_does_not_grow_for_a_scoped_manager(client, billing):
    login_as(client, billing.scoped_manager)
    few = _count(client)
    add_invoices(billing.contract, count=200, supply_point=billing.points[0])
    for _ in range(10):
        company = f.customer()
        f.grant(
            customer=company,
            person=billing.scoped_manager,
            role="external_manager",
            firm=billing.scoped_manager_grant.firm,
            supply_points=list(company.contracts.get().supply_points.all()[:1]),
        )
    assert _count(client) == few
