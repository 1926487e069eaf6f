"""The firm's workspace: the companies table and a company's page, "needs my action", Gestions as one table, across
every role; query counts that do not grow with the number of companies."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as accounts
from accounts.audit import Actor
from accounts.models import Invoice, SupplyPoint
from backoffice.demo import make_nif
from tests import factories as f
from tests.portal.helpers import login_as, use_language
from tests.workflows.paperwork import NEW_NAME, NEW_NIF, start_change
from workflows import services as workflows
from workflows.models import Milestone, RepresentativeChangeProcess

pytestmark = pytest.mark.django_db

ROLES = ("representative", "authorised_full", "authorised_readonly", "external_manager", "collaborator")


@pytest.fixture
def en(client):
    use_language(client, "en")
    return client


def _body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _points(customer) -> list[SupplyPoint]:
    return list(SupplyPoint.objects.filter(contract__customer=customer).order_by("cups"))


def _companies_url(**query) -> str:
    url = reverse("portal:supplies")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _rows(body: str) -> list[str]:
    """The companies' names in the table, in order."""
    return re.findall(r'<a href="/companies/\d+/"><strong>([^<]+)</strong>', body)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _firm(manager, companies: int, *, points: int = 2) -> list:
    """``companies`` customers managed by ``manager`` for one firm (the manager's grants, newest last)."""
    firm = f.firm()
    return [
        f.grant(customer=f.customer(supply_points=points), person=manager, role="external_manager", firm=firm)
        for _ in range(companies)
    ]


def _start_change_on(customer, person, capture, **overrides):
    """A change of representative started by ``person`` in the customer area."""
    fields = {
        "new_id_number": NEW_NIF,
        "new_name": NEW_NAME,
        "new_email": "marta@example.com",
        "outgoing": "authorised_full",
        "contact_email": "rep@example.com",
        "language": "ca",
        "requested_by": person,
    } | overrides
    with capture(execute=True):
        return workflows.start_representative_change(
            customer=customer, actor=Actor(user=person.user, ip=None, label="customer"), channel="portal", **fields
        )


# -- the companies table ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_companies_table_shows_the_company_with_the_persons_role_and_supply_points(en, story, role):
    login_as(en, story.people()[role])
    body = _body(en.get(_companies_url()))
    assert story.customer.name in body and story.customer.tax_id in body
    labels = {
        "representative": "Representative",
        "authorised_full": "Authorised (full access)",
        "authorised_readonly": "Authorised (read only)",
        "external_manager": "External manager",
        "collaborator": "Collaborator (full access)",
    }
    assert f'<span class="role">{labels[role]}</span>' in body
    assert all(point.cups in body for point in _points(story.customer))
    assert reverse("portal:contacts", args=[story.customer.pk]) in body
    assert story.other_customer.name not in body and story.other_customer.tax_id not in body


def test_another_customers_person_sees_only_their_own_company(en, story):
    login_as(en, story.outsider)
    body = _body(en.get(_companies_url()))
    assert _rows(body) == [story.other_customer.name]
    assert story.customer.tax_id not in body
    assert not any(point.cups in body for point in _points(story.customer))


def test_the_table_is_one_row_per_company_in_pages_of_fifty(en):
    manager = f.person(login=True)
    _firm(manager, 61, points=1)
    login_as(en, manager)
    first = _body(en.get(_companies_url()))
    second = _body(en.get(_companies_url(page=2)))
    assert len(_rows(first)) == 50 and len(_rows(second)) == 11
    assert not set(_rows(first)) & set(_rows(second))
    assert "Page 1 of 2" in first


def test_the_table_sorts_by_each_column_both_ways(en):
    manager = f.person(login=True)
    grants = _firm(manager, 4, points=1)
    SupplyPoint.objects.create(
        contract=grants[2].customer.contracts.get(), cups="ES0031999999999999ZZ0F", address="x", city="y", postcode="1"
    )
    login_as(en, manager)
    names = sorted(g.customer.name for g in grants)
    assert _rows(_body(en.get(_companies_url(sort="name")))) == names
    assert _rows(_body(en.get(_companies_url(sort="-name")))) == names[::-1]
    assert _rows(_body(en.get(_companies_url(sort="-supply_points"))))[0] == grants[2].customer.name
    assert _rows(_body(en.get(_companies_url(sort="nonsense")))) == names  # an unknown key: the default


def test_search_finds_a_company_by_name_cif_or_cups(en):
    manager = f.person(login=True)
    grants = _firm(manager, 5)
    target = grants[3].customer
    login_as(en, manager)
    for query in (target.name.split()[-2], target.tax_id, target.tax_id.lower(), _points(target)[1].cups[2:16]):
        assert _rows(_body(en.get(_companies_url(q=query)))) == [target.name], query


def test_search_by_the_cups_of_another_customer_finds_nothing(en, story):
    login_as(en, story.representative)
    other_cups = _points(story.other_customer)[0].cups
    body = _body(en.get(_companies_url(q=other_cups)))
    assert _rows(body) == [] and "No company matches your search." in body
    assert story.other_customer.name not in body


def test_a_scoped_manager_finds_nothing_by_a_cups_outside_its_scope(en, story):
    inside, outside = _points(story.customer)
    story.manager_grant.scope_limited = True
    story.manager_grant.save(update_fields=["scope_limited"])
    story.manager_grant.supply_points.set([inside])
    for person in (story.manager, story.collaborator):
        login_as(en, person)
        assert _rows(_body(en.get(_companies_url(q=outside.cups)))) == [], person
        body = _body(en.get(_companies_url(q=inside.cups)))
        assert _rows(body) == [story.customer.name]
        assert outside.cups not in body


def test_a_stranger_without_grants_sees_no_company(en):
    stranger = f.person(login=True)
    f.customer()
    login_as(en, stranger)
    body = _body(en.get(_companies_url()))
    assert _rows(body) == [] and "You have no supply points linked to you." in body


def test_the_companies_page_costs_the_same_queries_for_5_and_60_companies(client):
    manager = f.person(login=True)
    _firm(manager, 5)
    login_as(client, manager)
    few = _count(client, _companies_url())
    few_search = _count(client, _companies_url(q="ES00"))
    _firm(manager, 55)
    assert _count(client, _companies_url()) == few
    assert _count(client, _companies_url(q="ES00")) == few_search


# -- a company's page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, may_start",
    [
        ("representative", True),
        ("authorised_full", True),
        ("authorised_readonly", False),
        ("external_manager", False),
        ("collaborator", False),
    ],
)
def test_a_companys_page_lists_its_supply_points_and_the_links_the_role_allows(en, story, role, may_start):
    login_as(en, story.people()[role])
    body = _body(en.get(reverse("portal:company", args=[story.customer.pk])))
    assert all(point.cups in body for point in _points(story.customer))
    assert reverse("portal:contacts", args=[story.customer.pk]) in body
    for name in ("portal:new_representative_change", "portal:new_external_manager"):
        assert (reverse(name, args=[story.customer.pk]) in body) is may_start
    assert (reverse("portal:collaborator_batch") in body) is (role == "external_manager")


def test_a_companys_page_is_404_for_someone_without_a_grant(client, story):
    login_as(client, story.outsider)
    assert client.get(reverse("portal:company", args=[story.customer.pk])).status_code == 404


def test_a_scoped_manager_sees_only_its_supply_points_on_the_companys_page(en, story):
    inside, outside = _points(story.customer)
    story.manager_grant.scope_limited = True
    story.manager_grant.save(update_fields=["scope_limited"])
    story.manager_grant.supply_points.set([inside])
    login_as(en, story.manager)
    body = _body(en.get(reverse("portal:company", args=[story.customer.pk])))
    assert inside.cups in body and outside.cups not in body


def test_a_companys_supply_points_come_in_pages(en):
    person = f.person(login=True)
    customer = f.customer(supply_points=55)
    f.grant(customer=customer, person=person, role="representative")
    login_as(en, person)
    url = reverse("portal:company", args=[customer.pk])
    points = _points(customer)
    first, second = _body(en.get(url)), _body(en.get(url + "?page=2"))
    assert points[0].cups in first and points[49].cups in first and points[50].cups not in first
    assert points[50].cups in second and points[0].cups not in second


# -- needs my action -------------------------------------------------------------------------


def test_needs_my_action_lists_documents_to_upload_for_the_party_who_may_act(
    en, story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    url = reverse("portal:needs_action")
    login_as(en, story.representative)
    body = _body(en.get(url))
    assert "Documents to upload" in body and process.reference in body
    assert reverse("portal:request_detail", args=[process.reference]) in body
    # The home page says so too, and links here.
    home = _body(en.get(_companies_url()))
    assert "<strong>1</strong> request needs documents uploaded" in home and url in home
    for role in ("authorised_full", "authorised_readonly", "external_manager", "collaborator"):
        login_as(en, story.people()[role])
        assert process.reference not in _body(en.get(url)), role
    login_as(en, story.outsider)
    assert process.reference not in _body(en.get(url))


def test_needs_my_action_asks_to_send_documents_uploaded_but_not_sent(en, story, django_capture_on_commit_callbacks):
    from tests.workflows.paperwork import power_of_attorney, upload

    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    upload(process, power_of_attorney(story.customer))
    login_as(en, story.representative)
    body = _body(en.get(reverse("portal:needs_action")))
    assert "Requests waiting on you" in body and "1 document uploaded: send it to us" in body
    assert "Documents to upload" not in body


def test_needs_my_action_lists_pending_invitations_of_contacts_the_person_manages(en, story):
    accounts.authorise_contact(
        customer=story.customer,
        id_number=make_nif(71_000_001),
        name="Nova Convidada",
        email="nova@example.com",
        role="authorised_readonly",
        actor=f.actor(),
        by_grant=story.rep_grant,
        reason="test",
    )
    accounts.authorise_contact(
        customer=story.customer,
        id_number=make_nif(71_000_002),
        name="Col Nou",
        email="colnou@example.com",
        role="authorised_full",
        actor=f.actor(),
        by_grant=story.manager_grant,
        reason="test",
    )
    url = reverse("portal:needs_action")
    login_as(en, story.representative)
    body = _body(en.get(url))
    assert "Invitations pending" in body and "Nova Convidada" in body and "Col Nou" in body
    login_as(en, story.manager)
    body = _body(en.get(url))
    assert "Col Nou" in body and "Nova Convidada" not in body
    for role in ("authorised_full", "authorised_readonly", "collaborator"):
        login_as(en, story.people()[role])
        assert "Invitations pending" not in _body(en.get(url)), role


def _returned(customer, point=None, number="RT0001") -> Invoice:
    return Invoice.objects.create(
        contract=customer.contracts.get(),
        supply_point=point,
        number=number,
        issued_on=date(2026, 11, 1),
        total=Decimal("321.09"),
        status=Invoice.Status.RETURNED,
    )


def test_needs_my_action_lists_returned_invoices_within_reach(en, story):
    inside, outside = _points(story.customer)
    _returned(story.customer, inside, "RT0001")
    _returned(story.customer, outside, "RT0002")
    _returned(story.customer, None, "RT0003")
    url = reverse("portal:needs_action")
    for role in ROLES:
        login_as(en, story.people()[role])
        body = _body(en.get(url))
        assert "Returned invoices" in body and all(n in body for n in ("RT0001", "RT0002", "RT0003")), role
    story.manager_grant.scope_limited = True
    story.manager_grant.save(update_fields=["scope_limited"])
    story.manager_grant.supply_points.set([inside])
    for person in (story.manager, story.collaborator):
        login_as(en, person)
        body = _body(en.get(url))
        assert "RT0001" in body and "RT0002" not in body and "RT0003" not in body
    login_as(en, story.outsider)
    body = _body(en.get(url))
    assert "RT000" not in body and "Nothing needs your action now." in body


def test_needs_my_action_costs_the_same_queries_for_5_and_60_companies(client, django_capture_on_commit_callbacks):
    manager = f.person(login=True)
    grants = _firm(manager, 5)
    representative = f.person(login=True)

    def add_work(grant, n):
        f.grant(customer=grant.customer, person=representative, role="representative")
        _returned(grant.customer, _points(grant.customer)[0], f"RT{n:05d}")
        _start_change_on(grant.customer, representative, django_capture_on_commit_callbacks)
        accounts.authorise_contact(
            customer=grant.customer,
            id_number=make_nif(72_000_000 + n),
            name=f"Col {n}",
            email=f"col{n}@example.com",
            role="authorised_full",
            actor=f.actor(),
            by_grant=grant,
            reason="test",
        )

    for n, grant in enumerate(grants):
        add_work(grant, n)
    url = reverse("portal:needs_action")
    few = {}
    for person in (manager, representative):
        login_as(client, person)
        few[person.pk] = _count(client, url)
    for n, grant in enumerate(_firm(manager, 55), start=5):
        add_work(grant, n)
    for person in (manager, representative):
        login_as(client, person)
        assert _count(client, url) == few[person.pk]


# -- Gestions: one table across companies --------------------------------------------------------


def _gestions(client, **query) -> str:
    url = reverse("portal:requests") + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return _body(client.get(url))


def _references(body: str) -> list[str]:
    return re.findall(r'<a href="/requests/([A-Z]{2}-[A-Z0-9]{6})/">', body)


def test_gestions_is_one_table_across_companies_without_the_companies_that_have_none(
    en, django_capture_on_commit_callbacks
):
    person = f.person(login=True)
    customers = [f.customer() for _ in range(4)]
    for customer in customers:
        f.grant(customer=customer, person=person, role="representative")
    started = [_start_change_on(c, person, django_capture_on_commit_callbacks) for c in customers[:2]]
    login_as(en, person)
    body = _gestions(en)
    assert sorted(_references(body)) == sorted(p.reference for p in started)
    assert body.count("<table") == 1  # one table, not one per company
    for customer in customers[2:]:
        assert customer.name not in body  # neither a row nor a filter option


def test_gestions_filters_by_company_type_and_status_and_sorts(en, django_capture_on_commit_callbacks):
    person = f.person(login=True)
    customers = [f.customer() for _ in range(3)]
    for customer in customers:
        f.grant(customer=customer, person=person, role="representative")
    started = [_start_change_on(c, person, django_capture_on_commit_callbacks) for c in customers]
    Milestone.objects.create(reference=started[1].reference, customer=customers[1], kind=Milestone.Kind.UNDER_REVIEW)
    login_as(en, person)
    assert _references(_gestions(en, customer=customers[2].pk)) == [started[2].reference]
    assert _references(_gestions(en, status="under_review")) == [started[1].reference]
    assert len(_references(_gestions(en, kind="representative_change"))) == 3
    assert _references(_gestions(en, kind="external_manager")) == []
    by_reference = sorted(p.reference for p in started)
    assert _references(_gestions(en, sort="reference")) == by_reference
    assert _references(_gestions(en, sort="-reference")) == by_reference[::-1]
    assert _references(_gestions(en, sort="-updated"))[0] == started[1].reference  # its milestone is the newest
    assert "Under review" in _gestions(en, sort="status")
    body = _gestions(en, customer="not-a-number", status="nonsense")  # bad filters: said, and left out
    assert len(_references(body)) == 3 and "Select a valid choice" in body


def test_gestions_never_shows_another_customers_requests(en, story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    login_as(en, story.outsider)
    body = _gestions(en, customer=story.customer.pk)
    assert process.reference not in body and story.customer.name not in body


@pytest.mark.parametrize("role", ROLES)
def test_gestions_shows_every_role_the_requests_it_may_see(en, story, role, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    login_as(en, story.people()[role])
    assert _references(_gestions(en)) == [process.reference]


def test_a_scoped_manager_sees_only_the_requests_it_is_party_to_in_gestions(
    en, story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    story.manager_grant.scope_limited = True
    story.manager_grant.save(update_fields=["scope_limited"])
    login_as(en, story.manager)
    assert process.reference not in _gestions(en)


def test_gestions_pages_hold_fifty_requests(en, django_capture_on_commit_callbacks):
    person = f.person(login=True)
    for _ in range(52):
        customer = f.customer(supply_points=0, invoices=())
        f.grant(customer=customer, person=person, role="representative")
        _start_change_on(customer, person, django_capture_on_commit_callbacks)
    login_as(en, person)
    assert len(_references(_gestions(en))) == 50
    assert len(_references(_gestions(en, page=2))) == 2


def test_gestions_costs_the_same_queries_for_5_and_60_companies(client, django_capture_on_commit_callbacks):
    person = f.person(login=True)

    def companies(n):
        for _ in range(n):
            customer = f.customer(supply_points=1, invoices=())
            f.grant(customer=customer, person=person, role="representative")
            _start_change_on(customer, person, django_capture_on_commit_callbacks)

    companies(5)
    login_as(client, person)
    url = reverse("portal:requests")
    few = _count(client, url)
    companies(55)
    assert _count(client, url) == few
    assert RepresentativeChangeProcess.objects.count() == 60


def test_gestions_for_a_company_without_requests_offers_its_start_buttons(en, story):
    login_as(en, story.representative)
    body = _gestions(en, customer=story.customer.pk)
    assert "No request matches these filters." in body and "Select a valid choice" not in body
    assert reverse("portal:new_representative_change", args=[story.customer.pk]) in body


def test_gestions_filtered_by_a_company_out_of_reach_says_so_and_shows_nothing_of_it(en, story):
    login_as(en, story.representative)
    body = _gestions(en, customer=story.other_customer.pk)
    assert "Select a valid choice" in body and story.other_customer.name not in body
    assert reverse("portal:new_representative_change", args=[story.other_customer.pk]) not in body
