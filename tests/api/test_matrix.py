"""The authorisation matrix over the API: each role x each operation on its own customer and on another one, with
the same answers as the pages. Objects of a customer one may not see are 404; a change one's role does not allow on
a customer one sees is 403."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Contract, Grant, Invoice
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
    # the story's invoices are the whole contract's: a scoped manager sees none (400 no_invoices, as for an id that
    # does not exist); the outsider's list is its own customer's
    "invoice_zip": _row("200 200 200 200 400 200 400 403"),
    "invoice_csv": _row("200 200 200 200 200 200 200 403"),
    "invoice_xlsx": _row("200 200 200 200 200 200 200 403"),
    "change_payment_day": _row("200 200 403 403 403 403 404 403"),
    "collaborator_batch": _row("404 404 404 201 201 404 404 403"),
    "list_collaborator_batches": _row("404 404 404 200 200 404 404 403"),
    "register_webhook": _row("201 201 201 201 201 201 400 403"),
}
#: Lists and forms of the caller, not of one customer's object: on another customer they answer as for a
#: customer or object that does not exist (an empty result, or the form's "not one of the choices"), by role.
OTHER_CUSTOMER = {
    "invoice_zip": lambda role: ("no_invoices", 400),
    "invoice_csv": lambda role: ("invalid", 400),
    "invoice_xlsx": lambda role: ("invalid", 400),
    "collaborator_batch": lambda role: ("invalid", 400) if role.endswith("manager") else ("not_found", 404),
    "register_webhook": lambda role: ("invalid", 400),
}
#: The caller's own, about no customer in particular.
CALLERS_OWN = {"list_collaborator_batches"}


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
    if operation == "invoice_zip":
        return api.get("/api/v1/invoices/zip/", {"invoice": invoice.pk})
    if operation in ("invoice_csv", "invoice_xlsx"):
        extension = operation.removeprefix("invoice_")
        params = {} if cid == story.customer.pk else {"customer": cid}
        return api.get(f"/api/v1/invoices/export.{extension}", params)
    if operation == "change_payment_day":
        contract = Contract.objects.get(customer_id=cid)
        day = next(day for day in settings.BILLING_PAYMENT_DAYS if day != contract.payment_day)
        return api.put(f"/api/v1/contracts/{contract.pk}/payment-day/", {"day": day})
    if operation == "collaborator_batch":
        body = {
            "customers": [cid],
            "action": "add",
            "id_number": make_nif(45_000_000 + Grant.objects.count()),
            "role": "authorised_readonly",
        }
        return api.post("/api/v1/collaborator-batches/", body | {"name": "Nou Col", "email": "col@example.com"})
    if operation == "list_collaborator_batches":
        return api.get("/api/v1/collaborator-batches/")
    if operation == "register_webhook":
        body = {"url": "https://hooks.example.com/in", "customer": cid, "events": ["request.applied"]}
        return api.post("/api/v1/webhooks/", body)
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
    if role == "outsider" or operation in CALLERS_OWN:
        pytest.skip("the outsider represents the other customer; the caller's own lists name no customer")
    response = _call(api_for(people[role]), story, operation, customer_id=story.other_customer.pk)
    answer = OTHER_CUSTOMER.get(operation, lambda role: ("not_found", 404))(role)
    expected = ("access_ended", 403) if role == "revoked" else answer
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
    "list_collaborator_batches": lambda story: reverse("portal:collaborator_batch"),
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


@pytest.mark.parametrize("role", ROLES)
def test_the_payment_day_answers_as_the_page_does(client, story, people, api_for, role):
    """The page changes it by supply point (302 back to the contract when done), the API by contract."""
    login_as(client, people[role])
    contract = story.customer.contracts.get()
    point = contract.supply_points.order_by("cups").first()
    day = next(day for day in settings.BILLING_PAYMENT_DAYS if day != contract.payment_day)
    page = client.post(reverse("portal:change_payment_day", args=[point.pk]), {"day": day})
    Contract.objects.filter(pk=contract.pk).update(payment_day=contract.payment_day)
    api = _call(api_for(people[role]), story, "change_payment_day")
    assert (page.status_code == 302) == (api.status_code == 200), (page.status_code, api.status_code)
    if page.status_code != 302:
        assert page.status_code == api.status_code


@pytest.mark.parametrize("operation", ["invoice_csv", "invoice_zip"])
@pytest.mark.parametrize("role", ROLES)
def test_an_export_holds_only_what_the_role_may_see(story, people, api_for, role, operation):
    if role == "revoked":
        pytest.skip("refused at the door: see the matrix")
    api = api_for(people[role])
    own = story.other_customer if role == "outsider" else story.customer
    seen = set(Invoice.objects.filter(contract__customer=own).values_list("number", flat=True))
    if role == "scoped_manager":
        seen = set()
    response = api.get("/api/v1/invoices/export.csv" if operation == "invoice_csv" else "/api/v1/invoices/zip/")
    if not seen:
        assert response.status_code == (200 if operation == "invoice_csv" else 400)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    every = set(Invoice.objects.values_list("number", flat=True))
    assert {number for number in every if number.encode() in body} == seen
