"""A list costs the same number of queries for 10 rows as for 50 (page size 100, so every row is on the page)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Invoice
from tests import factories as f
from tests.api.conftest import ApiClient, make_token


def _firm_person_with(companies: int, *, invoices_each: int = 1, contacts_each: int = 0):
    person = f.person(login=True)
    firm = f.firm()
    first = None
    for n in range(companies):
        customer = f.customer(supply_points=1, invoices=("10.00",) * invoices_each)
        grant = f.grant(customer=customer, person=person, role="external_manager", firm=firm)
        first = first or customer
        for _ in range(contacts_each):
            f.grant(customer=customer, person=f.person(), role="authorised_readonly")
        del grant, n
    _token, secret = make_token(person)
    return ApiClient(secret), first


def _queries(api, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, {"page_size": 100})
    assert response.status_code == 200, response.content[:200]
    return len(captured.captured_queries), len(response.json()["results"])


@pytest.mark.parametrize(
    "path", ["/api/v1/customers/", "/api/v1/supply-points/", "/api/v1/contracts/", "/api/v1/invoices/"]
)
def test_a_list_costs_the_same_for_10_and_50_companies(db, path):
    few, _ = _firm_person_with(10)
    many, _ = _firm_person_with(50)
    (q_few, n_few), (q_many, n_many) = _queries(few, path), _queries(many, path)
    assert (n_few, n_many) == (10, 50)
    assert q_few == q_many


def test_the_invoice_list_costs_the_same_for_10_and_50_invoices_of_one_company(db):
    few, _ = _firm_person_with(1, invoices_each=10)
    many, customer = _firm_person_with(1, invoices_each=1)
    contract = customer.contracts.get()
    Invoice.objects.bulk_create(
        Invoice(contract=contract, number=f"QC{k:06d}", issued_on=date(2025, 1, 1), total=Decimal("5.00"))
        for k in range(49)
    )
    (q_few, n_few), (q_many, n_many) = _queries(few, "/api/v1/invoices/"), _queries(many, "/api/v1/invoices/")
    assert (n_few, n_many) == (10, 50) and q_few == q_many


def test_the_contacts_list_costs_the_same_for_10_and_50_contacts(db):
    few, few_customer = _firm_person_with(1, contacts_each=9)
    many, many_customer = _firm_person_with(1, contacts_each=49)
    q_few, n_few = _queries(few, f"/api/v1/customers/{few_customer.pk}/contacts/")
    q_many, n_many = _queries(many, f"/api/v1/customers/{many_customer.pk}/contacts/")
    assert (n_few, n_many) == (10, 50) and q_few == q_many


def test_the_webhook_endpoint_list_costs_the_same_for_10_and_50_endpoints(db):
    from webhooks.models import Endpoint

    counts = []
    for endpoints in (10, 50):
        api, customer = _firm_person_with(1)
        owner = customer.grants.get().person
        Endpoint.objects.bulk_create(
            Endpoint(owner=owner, customer=customer, url="https://hooks.example.com/in", events=["invoice.issued"])
            for _ in range(endpoints)
        )
        counts.append(_queries(api, "/api/v1/webhooks/"))
    assert [n for _q, n in counts] == [10, 50] and counts[0][0] == counts[1][0]


def test_the_collaborator_batch_list_costs_the_same_for_3_and_30_batches(db):
    from accounts.models import CollaboratorBatch

    counts = []
    for batches in (3, 30):
        api, customer = _firm_person_with(1)
        manager = customer.grants.get().person
        collaborator = f.person()
        CollaboratorBatch.objects.bulk_create(
            CollaboratorBatch(
                reference=f"CB-{batches:02d}{k:04d}", kind="add", manager=manager, collaborator=collaborator
            )
            for k in range(batches)
        )
        with CaptureQueriesContext(connection) as captured:
            rows = api.get("/api/v1/collaborator-batches/").json()
        counts.append((len(captured.captured_queries), len(rows)))
    assert [n for _q, n in counts] == [3, 30] and counts[0][0] == counts[1][0]
