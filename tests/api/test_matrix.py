"""The authorisation matrix over the API: each role x each operation on its own customer and on another one, with
the same answers as the pages. Objects of a customer one may not see are 404; a change one's role does not allow on
a customer one sees is 403."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Grant, Invoice
from accounts.services import revoke_grant
from backoffice.demo import make_nif
from tests import factories as f
from tests.portal.helpers import login_as

ROLES = [
    "representative",
    "authorised_full",
    "authorised_readonly",
    "external_manager",
    "scoped_manager",
    "collaborator",
    "outsider",
    "revoked",
]


@pytest.fixture
def people(story):
    """The story's people, a manager limited to one supply point, and someone whose access was revoked."""
    found = story.people()
    scoped = f.person(login=True, name="Scoped Manager")
    first_point = story.customer.contracts.get().supply_points.order_by("cups").first()
    f.grant(customer=story.customer, person=scoped, role="external_manager", firm=f.firm(), supply_points=[first_point])
    revoked = f.person(login=True, name="Gone Away")
    grant = f.grant(customer=story.customer, person=revoked, role="authorised_full")
    revoke_grant(grant=grant, actor=f.actor(), reason="test")
    return found | {"scoped_manager": scoped, "revoked": revoked}


def _row(expected: str) -> dict[str, int]:
    return dict(zip(ROLES, (int(code) for code in expected.split()), strict=True))


# own customer: representative, full, readonly, manager, scoped manager, collaborator, outsider, revoked (left
# without any grant: refused at the door, as the pages do, with 403 "access_ended")
MATRIX = {
    "view_customer": _row("200 200 200 200 200 200 404 403"),
    "list_contacts": _row("200 200 200 200 200 200 404 403"),
    "add_contact": _row("201 403 403 201 201 403 404 403"),
    "deactivate_contact": _row("204 403 403 403 403 403 404 403"),
    "change_role": _row("200 403 403 403 403 403 404 403"),
    "start_representative_change": _row("201 201 404 404 404 404 404 403"),
    "start_external_manager": _row("201 201 404 404 404 404 404 403"),
    "view_invoice": _row("200 200 200 200 404 200 404 403"),
    "invoice_pdf": _row("200 200 200 200 404 200 404 403"),
}


def _call(api, story, operation: str, customer_id: int | None = None):
    cid = customer_id or story.customer.pk
    contacts = f"/api/v1/customers/{cid}/contacts/"
    invoice = Invoice.objects.filter(contract__customer_id=cid).order_by("pk").first()
    target = story.readonly_grant if cid == story.customer.pk else story.other_grant
    if operation == "view_customer":
        return api.get(f"/api/v1/customers/{cid}/")
    if operation == "list_contacts":
        return api.get(contacts)
    if operation == "add_contact":
        nif = make_nif(43_000_000 + Grant.objects.count())
        return api.post(
            contacts,
            {"id_number": nif, "name": "Nova Persona", "email": "nova@example.com", "role": "authorised_readonly"},
        )
    if operation == "deactivate_contact":
        return api.delete(f"{contacts}{target.pk}/")
    if operation == "change_role":
        return api.patch(f"{contacts}{target.pk}/", {"role": "authorised_full"})
    if operation == "start_representative_change":
        body = {
            "new_id_number": make_nif(44_000_001),
            "new_name": "Marta Nova",
            "new_email": "marta@example.com",
            "outgoing": "authorised_full",
            "contact_email": "rep@example.com",
        }
        return api.post(f"/api/v1/customers/{cid}/requests/representative-change/", body)
    if operation == "start_external_manager":
        body = {
            "firm_cif": "B12345674",
            "firm_name": "Gestio Energetica SL",
            "firm_kind": "energy_manager",
            "manager_id_number": make_nif(44_000_002),
            "manager_name": "Pere Gestor",
            "manager_email": "pere@example.com",
            "contact_email": "rep@example.com",
        }
        return api.post(f"/api/v1/customers/{cid}/requests/external-manager/", body)
    if operation == "view_invoice":
        return api.get(f"/api/v1/invoices/{invoice.pk}/")
    if operation == "invoice_pdf":
        return api.get(f"/api/v1/invoices/{invoice.pk}/pdf/")
    raise AssertionError(operation)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_each_role_gets_the_answer_the_rule_gives_on_its_own_customer(
    story, people, api_for, django_capture_on_commit_callbacks, role, operation
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _call(api_for(people[role]), story, operation)
    assert response.status_code == MATRIX[operation][role], response.content[:300]
    if response.status_code in (403, 404):
        assert set(response.json()["error"]) == {"code", "message", "fields"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_nobody_learns_anything_about_another_customer(story, people, api_for, role, operation):
    """The story's other customer is the outsider's: for everyone else, everything there is 404."""
    if role == "outsider":
        pytest.skip("the outsider represents the other customer")
    response = _call(api_for(people[role]), story, operation, customer_id=story.other_customer.pk)
    expected = ("access_ended", 403) if role == "revoked" else ("not_found", 404)
    assert (response.json()["error"]["code"], response.status_code) == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_lists_hold_only_what_the_role_may_see(story, people, api_for, role):
    api = api_for(people[role])
    if role == "revoked":
        assert api.get("/api/v1/customers/").json()["error"]["code"] == "access_ended"
        return
    customers = {row["id"] for row in api.get("/api/v1/customers/").json()["results"]}
    points = api.get("/api/v1/supply-points/").json()["results"]
    invoices = api.get("/api/v1/invoices/").json()["results"]
    requests = api.get("/api/v1/requests/").json()["results"]
    own = story.other_customer.pk if role == "outsider" else story.customer.pk
    assert customers == {own}
    assert {r["customer"] for r in requests} <= {own}
    assert {p["customer"] for p in points} == {own}
    assert len(points) == (1 if role == "scoped_manager" else 2)
    # The story's invoices belong to the whole contract (no supply point): a scoped manager sees none of them.
    assert {i["customer"] for i in invoices} == (set() if role == "scoped_manager" else {own})


PAGES = {
    "list_contacts": lambda story: reverse("portal:contacts", args=[story.customer.pk]),
    "start_representative_change": lambda story: reverse("portal:new_representative_change", args=[story.customer.pk]),
    "invoice_pdf": lambda story: reverse(
        "portal:invoice_pdf", args=[Invoice.objects.filter(contract__customer=story.customer).order_by("pk").first().pk]
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(PAGES))
def test_the_api_answers_as_the_page_does(client, story, people, api_for, role, operation):
    login_as(client, people[role])
    page = client.get(PAGES[operation](story))
    api = _call(api_for(people[role]), story, operation)
    allowed = {200, 201}
    assert (page.status_code in allowed) == (api.status_code in allowed)
    if page.status_code not in allowed:
        assert page.status_code == api.status_code
