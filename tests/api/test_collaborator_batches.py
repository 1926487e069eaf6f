"""Collaborator batches through the API: the page's form and services, only for whoever manages collaborators."""

from __future__ import annotations

from accounts import services as accounts
from accounts.models import AuditEvent, Grant
from backoffice.demo import make_nif
from tests import factories as f


def _firm(companies: int = 3):
    manager = f.person(login=True, name="Manager Gestor")
    firm = f.firm()
    grants = [
        f.grant(customer=f.customer(supply_points=1), person=manager, role="external_manager", firm=firm)
        for _ in range(companies)
    ]
    return manager, grants


def test_a_manager_adds_a_collaborator_on_many_companies_then_undoes_it(db, api_for):
    manager, grants = _firm()
    api = api_for(manager)
    nif = f.person(login=True, name="Known Person").id_number
    created = api.post(
        "/api/v1/collaborator-batches/",
        {
            "customers": [g.customer_id for g in grants],
            "action": "add",
            "id_number": nif,
            "name": "Known Person",
            "email": "known@example.com",
            "role": "authorised_readonly",
        },
    )
    assert created.status_code == 201, created.content
    batch = created.json()
    assert {item["outcome"] for item in batch["items"]} == {"added"} and len(batch["items"]) == 3
    assert Grant.objects.filter(person__id_number=nif, revoked_at__isnull=True).count() == 3
    events = AuditEvent.objects.filter(action="grant.create", reason__contains=batch["reference"])
    assert events.count() == 3 and all("api token" in e.actor_label for e in events)
    assert [row["reference"] for row in api.get("/api/v1/collaborator-batches/").json()] == [batch["reference"]]
    undone = api.post(f"/api/v1/collaborator-batches/{batch['reference']}/undo/")
    assert undone.status_code == 200 and {item["undo"] for item in undone.json()["items"]} == {"undone"}
    assert not Grant.objects.filter(person__id_number=nif, revoked_at__isnull=True).exists()
    again = api.post(f"/api/v1/collaborator-batches/{batch['reference']}/undo/")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_undone")


def test_an_existing_collaborator_is_named_by_id_number_alone(db, api_for):
    manager, grants = _firm()
    collaborator = f.person(login=True, name="Col Laborador")
    accounts.delegate_to_collaborator(
        manager_grant=grants[0], person=collaborator, role="authorised_readonly", actor=f.actor(), reason="test"
    )
    response = api_for(manager).post(
        "/api/v1/collaborator-batches/",
        {"customers": [g.customer_id for g in grants], "action": "remove", "id_number": collaborator.id_number},
    )
    assert response.status_code == 201, response.content
    outcomes = {item["customer"]: item["outcome"] for item in response.json()["items"]}
    assert outcomes[grants[0].customer_id] == "removed" and outcomes[grants[1].customer_id] == "not_there"


def test_a_company_not_managed_refuses_the_whole_batch(story, api_for):
    manager, grants = _firm()
    response = api_for(manager).post(
        "/api/v1/collaborator-batches/",
        {
            "customers": [grants[0].customer_id, story.customer.pk],
            "action": "add",
            "id_number": make_nif(46_000_002),
            "name": "Nova Col",
            "email": "nova@example.com",
            "role": "authorised_full",
        },
    )
    assert response.status_code == 400 and "customers" in response.json()["error"]["fields"]
    assert not Grant.objects.filter(person__id_number=make_nif(46_000_002)).exists()


def test_someone_new_is_added_to_one_company_at_most_as_on_the_page(db, api_for):
    manager, grants = _firm()
    response = api_for(manager).post(
        "/api/v1/collaborator-batches/",
        {
            "customers": [g.customer_id for g in grants],
            "action": "add",
            "id_number": make_nif(46_000_004),
            "name": "Nova Col",
            "email": "nova@example.com",
            "role": "authorised_readonly",
        },
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "unconfirmed_person")
    assert not Grant.objects.filter(person__id_number=make_nif(46_000_004)).exists()


def test_someone_elses_batch_is_not_found(db, api_for):
    manager, grants = _firm(1)
    batch = api_for(manager).post(
        "/api/v1/collaborator-batches/",
        {
            "customers": [grants[0].customer_id],
            "action": "add",
            "id_number": make_nif(46_000_003),
            "name": "Nova Col",
            "email": "nova@example.com",
            "role": "authorised_full",
        },
    )
    reference = batch.json()["reference"]
    other, _grants = _firm(1)
    assert api_for(other).get(f"/api/v1/collaborator-batches/{reference}/").status_code == 404
    assert api_for(other).post(f"/api/v1/collaborator-batches/{reference}/undo/").status_code == 404
    assert api_for(manager).get(f"/api/v1/collaborator-batches/{reference}/").status_code == 200
