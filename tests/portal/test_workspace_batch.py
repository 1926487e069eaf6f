"""An external manager adds or removes one collaborator on many companies in one step, and undoes it: the service
(``portal.services.apply_collaborator_batch`` / ``undo_batch`` over ``accounts.services``) and its pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as accounts
from accounts.models import AuditEvent, CollaboratorBatch, Grant, Person
from backoffice.demo import make_nif
from portal import services as portal_services
from tests import factories as f
from tests.portal.helpers import login_as, use_language

pytestmark = pytest.mark.django_db

BATCH_URL = "portal:collaborator_batch"


@pytest.fixture
def en(client):
    use_language(client, "en")
    return client


@pytest.fixture
def firm():
    """A manager of 6 companies for one firm, with a collaborator on the first; and someone else's company."""
    manager = f.person(login=True, name="Manager Gestor")
    firm = f.firm()
    grants = [
        f.grant(customer=f.customer(supply_points=1), person=manager, role="external_manager", firm=firm)
        for _ in range(6)
    ]
    collaborator = f.person(login=True, name="Col Laborador")
    accounts.delegate_to_collaborator(
        manager_grant=grants[0], person=collaborator, role="authorised_readonly", actor=f.actor(), reason="test"
    )
    other = f.customer()
    f.grant(customer=other, person=f.person(), role="representative")
    return manager, grants, collaborator, other


def _active(person, customers) -> dict[int, Grant]:
    return {
        g.customer_id: g for g in Grant.objects.filter(person=person, customer__in=customers, revoked_at__isnull=True)
    }


def _apply(manager, collaborator, customers, *, add=True, role="authorised_full", **kwargs):
    return portal_services.apply_collaborator_batch(
        manager=manager,
        collaborator_id_number=collaborator.id_number if collaborator else kwargs.pop("id_number"),
        role=role,
        customers=[c.pk for c in customers],
        add=add,
        actor=f.actor(),
        **kwargs,
    )


# -- the service -----------------------------------------------------------------------------


def test_a_batch_adds_the_collaborator_on_every_company_with_one_audited_change_each(firm):
    manager, grants, collaborator, _ = firm
    customers = [g.customer for g in grants]
    batch = _apply(manager, collaborator, customers)
    active = _active(collaborator, customers)
    assert set(active) == {c.pk for c in customers}
    assert active[customers[0].pk].role == "authorised_readonly"  # already there: left as it was
    assert all(active[c.pk].delegated_from_id == g.pk for c, g in zip(customers, grants))
    outcomes = dict(batch.items.values_list("customer_id", "outcome"))
    assert outcomes[customers[0].pk] == "already" and list(outcomes.values()).count("added") == 5
    events = AuditEvent.objects.filter(action="grant.create", reason__contains=batch.reference)
    assert sorted(events.values_list("customer_id", flat=True)) == sorted(c.pk for c in customers[1:])


def test_a_batch_removes_the_collaborator_only_where_the_manager_delegated_it(firm):
    manager, grants, collaborator, _ = firm
    customers = [g.customer for g in grants]
    _apply(manager, collaborator, customers[1:3])
    batch = _apply(manager, collaborator, customers, add=False)
    assert _active(collaborator, customers) == {}
    outcomes = dict(batch.items.values_list("customer_id", "outcome"))
    assert [outcomes[c.pk] for c in customers] == ["removed"] * 3 + ["not_there"] * 3
    assert AuditEvent.objects.filter(action="grant.revoke", reason__contains=batch.reference).count() == 3


def test_a_forged_company_is_refused_and_nothing_is_written(firm):
    manager, grants, collaborator, other = firm
    before = (AuditEvent.objects.count(), Grant.objects.count(), CollaboratorBatch.objects.count())
    with pytest.raises(accounts.BatchRefused) as refused:
        _apply(manager, collaborator, [grants[1].customer, other])
    assert refused.value.code == "not_allowed" and refused.value.customer_ids == (other.pk,)
    assert (AuditEvent.objects.count(), Grant.objects.count(), CollaboratorBatch.objects.count()) == before


def test_a_company_whose_grant_ended_is_refused_and_nothing_is_written(firm):
    manager, grants, collaborator, _ = firm
    accounts.revoke_grant(grant=grants[2], actor=f.actor(), reason="ended")
    before = (AuditEvent.objects.count(), Grant.objects.count())
    with pytest.raises(accounts.BatchRefused) as refused:
        _apply(manager, collaborator, [g.customer for g in grants[1:4]])
    assert refused.value.code == "not_allowed" and refused.value.customer_ids == (grants[2].customer_id,)
    assert (AuditEvent.objects.count(), Grant.objects.count()) == before


@pytest.mark.parametrize("role", ["representative", "authorised_full", "authorised_readonly", "collaborator"])
def test_only_an_external_manager_may_run_a_batch(story, role):
    person = story.people()[role]
    with pytest.raises(accounts.BatchRefused) as refused:
        _apply(person, f.person(), [story.customer])
    assert refused.value.code == "not_allowed"


def test_a_scoped_manager_may_run_a_batch_on_its_companies(story):
    story.manager_grant.scope_limited = True
    story.manager_grant.save(update_fields=["scope_limited"])
    newcomer = f.person()
    batch = _apply(story.manager, newcomer, [story.customer])
    assert _active(newcomer, [story.customer])[story.customer.pk].delegated_from_id == story.manager_grant.pk
    assert batch.items.get().outcome == "added"


def test_a_batch_with_nothing_to_change_is_refused_and_writes_nothing(firm):
    manager, grants, collaborator, _ = firm
    with pytest.raises(accounts.BatchRefused) as refused:
        _apply(manager, collaborator, [grants[0].customer])
    assert refused.value.code == "nothing" and not CollaboratorBatch.objects.exists()


def test_a_new_collaborator_is_created_invited_and_can_set_up_their_login(firm, django_capture_on_commit_callbacks):
    manager, grants, _, _ = firm
    nif = make_nif(73_000_001)
    with django_capture_on_commit_callbacks(execute=True):
        batch = _apply(
            manager,
            None,
            [grants[1].customer],
            id_number=nif,
            collaborator_name="Nova Col·laboradora",
            collaborator_email="nova@example.com",
        )
    person = Person.objects.get(id_number=nif)
    assert batch.collaborator == person and len(_active(person, [grants[1].customer])) == 1
    assert AuditEvent.objects.filter(action="person.create", target_id=str(person.pk)).count() == 1
    sent = [m for m in mail.outbox if "nova@example.com" in m.to]
    assert len(sent) == 1
    token = re.search(r"/invitation/([^/\s]+)/", sent[0].body)[1]
    accounts.accept_invitation(token=token, id_number=nif, password="Llum-Verda!2026bosc", language="ca", actor_ip=None)
    person.refresh_from_db()
    assert person.user_id is not None


def test_someone_without_a_confirmed_address_is_added_to_one_company_at_most(firm):
    manager, grants, _, _ = firm
    nif = make_nif(73_000_004)
    before = (AuditEvent.objects.count(), Grant.objects.count())
    with pytest.raises(accounts.BatchRefused) as refused:
        _apply(
            manager,
            None,
            [g.customer for g in grants[1:4]],
            id_number=nif,
            collaborator_name="Nou Col",
            collaborator_email="nou@example.com",
        )
    assert refused.value.code == "unconfirmed_person"
    assert (AuditEvent.objects.count(), Grant.objects.count()) == before
    assert not Person.objects.filter(id_number=nif).exists()


def test_a_collaborator_with_a_login_is_told_once_for_the_whole_batch(firm, django_capture_on_commit_callbacks):
    manager, grants, collaborator, _ = firm
    collaborator.language = "en"
    collaborator.save(update_fields=["language"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _apply(manager, collaborator, [g.customer for g in grants])  # added on 5 of the 6
    sent = [m for m in mail.outbox if collaborator.email in m.to]
    assert len(sent) == 1 and grants[1].customer.name in sent[0].body and "and 2 more companies" in sent[0].body


def test_a_new_collaborator_needs_a_name_and_an_email(firm):
    manager, grants, _, _ = firm
    with pytest.raises(accounts.BatchRefused) as refused:
        _apply(manager, None, [grants[1].customer], id_number=make_nif(73_000_002))
    assert refused.value.code == "new_person_details" and not Person.objects.filter(id_number=make_nif(73_000_002))


def test_undo_revokes_exactly_the_grants_the_batch_added(firm):
    manager, grants, collaborator, _ = firm
    customers = [g.customer for g in grants]
    batch = _apply(manager, collaborator, customers)
    result = portal_services.undo_batch(batch=batch, manager=manager, actor=f.actor())
    assert len(result.undone) == 5 and result.changed_since == []
    # The grant that was there before the batch stays.
    assert set(_active(collaborator, customers)) == {customers[0].pk}
    assert AuditEvent.objects.filter(action="grant.revoke", reason__contains=f"{batch.reference} (undo)").count() == 5
    with pytest.raises(accounts.BatchRefused) as again:
        portal_services.undo_batch(batch=batch, manager=manager, actor=f.actor())
    assert again.value.code == "already_undone"


def test_undo_gives_back_the_grants_a_removal_took(firm):
    manager, grants, collaborator, _ = firm
    customers = [g.customer for g in grants]
    _apply(manager, collaborator, customers[1:3], role="authorised_readonly")
    batch = _apply(manager, collaborator, customers[:3], add=False)
    result = portal_services.undo_batch(batch=batch, manager=manager, actor=f.actor())
    assert len(result.undone) == 3
    active = _active(collaborator, customers)
    assert set(active) == {c.pk for c in customers[:3]}
    assert {g.role for g in active.values()} == {"authorised_readonly"}
    assert all(item.restored_grant_id for item in batch.items.all())


def test_undo_leaves_alone_a_company_that_changed_since_and_says_so(firm):
    manager, grants, collaborator, _ = firm
    customers = [g.customer for g in grants]
    batch = _apply(manager, collaborator, customers[1:4])
    added = _active(collaborator, customers)
    accounts.change_role(grant=added[customers[1].pk], role="authorised_readonly", actor=f.actor(), reason="later")
    accounts.revoke_grant(grant=added[customers[2].pk], actor=f.actor(), reason="later")
    result = portal_services.undo_batch(batch=batch, manager=manager, actor=f.actor())
    assert [i.customer_id for i in result.changed_since] == sorted([customers[1].pk, customers[2].pk])
    assert [i.customer_id for i in result.undone] == [customers[3].pk]
    assert set(_active(collaborator, customers)) == {customers[0].pk, customers[1].pk}
    assert dict(batch.items.values_list("customer_id", "undo"))[customers[1].pk] == "changed_since"


def test_undo_of_a_removal_skips_a_company_where_the_person_got_another_role(firm):
    manager, grants, collaborator, _ = firm
    batch = _apply(manager, collaborator, [grants[0].customer], add=False)
    f.grant(customer=grants[0].customer, person=collaborator, role="authorised_full")
    result = portal_services.undo_batch(batch=batch, manager=manager, actor=f.actor())
    assert result.undone == [] and len(result.changed_since) == 1


def test_only_the_batchs_manager_may_undo_it(firm):
    manager, grants, collaborator, _ = firm
    batch = _apply(manager, collaborator, [grants[1].customer])
    with pytest.raises(accounts.BatchRefused) as refused:
        portal_services.undo_batch(batch=batch, manager=collaborator, actor=f.actor())
    assert refused.value.code == "not_yours"
    assert _active(collaborator, [grants[1].customer])


# -- the pages -------------------------------------------------------------------------------


def _form(customers, **fields) -> dict:
    return {"customers": [c.pk for c in customers], "action": "add", "role": "authorised_full"} | fields


def test_the_batch_walks_pick_confirm_apply_and_undo(en, firm):
    manager, grants, collaborator, _ = firm
    customers = [g.customer for g in grants[1:4]]
    login_as(en, manager)
    page = en.get(reverse(BATCH_URL)).content.decode()
    assert all(g.customer.name in page for g in grants) and "Col Laborador" in page
    data = _form(customers, collaborator=str(collaborator.pk))
    confirm = en.post(reverse(BATCH_URL), data)
    body = confirm.content.decode()
    assert confirm.status_code == 200 and "Add Col Laborador to 3 companies" in body
    assert all(c.name in body for c in customers) and grants[4].customer.name not in body
    assert not _active(collaborator, customers)  # nothing yet
    done = en.post(reverse(BATCH_URL), data | {"confirm": "1"})
    batch = CollaboratorBatch.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "portal:collaborator_batch_detail", args=[batch.reference]
    )
    assert set(_active(collaborator, customers)) == {c.pk for c in customers}
    detail = en.get(done["Location"]).content.decode()
    assert "Undo this change" in detail and detail.count('<td data-label="Result">Added</td>') == 3
    undone = en.post(reverse("portal:undo_collaborator_batch", args=[batch.reference]), follow=True)
    assert "The change was undone on 3 companies." in undone.content.decode()
    assert not _active(collaborator, customers)


def test_all_companies_matching_the_search_are_picked_at_once(en, firm):
    manager, grants, collaborator, _ = firm
    login_as(en, manager)
    target = grants[3].customer
    response = en.post(
        reverse(BATCH_URL),
        {
            "all_matching": "1",
            "q": target.tax_id,
            "action": "add",
            "role": "authorised_full",
            "collaborator": str(collaborator.pk),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Add Col Laborador to 1 company" in body and target.name in body


def test_a_forged_company_in_the_form_is_refused_with_nothing_written(en, firm):
    manager, grants, collaborator, other = firm
    login_as(en, manager)
    before = AuditEvent.objects.count()
    for extra in ({}, {"confirm": "1"}):
        response = en.post(
            reverse(BATCH_URL), _form([grants[1].customer, other], collaborator=str(collaborator.pk)) | extra
        )
        assert response.status_code == 400
        assert "You cannot manage collaborators on one of the companies chosen." in response.content.decode()
    assert AuditEvent.objects.count() == before and not _active(collaborator, [other, grants[1].customer])


def test_a_grant_ended_between_pick_and_confirm_refuses_the_batch(en, firm):
    manager, grants, collaborator, _ = firm
    login_as(en, manager)
    data = _form([g.customer for g in grants[1:3]], collaborator=str(collaborator.pk))
    assert en.post(reverse(BATCH_URL), data).status_code == 200
    accounts.revoke_grant(grant=grants[2], actor=f.actor(), reason="mandate ended")
    before = AuditEvent.objects.count()
    response = en.post(reverse(BATCH_URL), data | {"confirm": "1"})
    assert response.status_code == 400
    assert AuditEvent.objects.count() == before and not CollaboratorBatch.objects.exists()


def test_a_new_collaborator_is_added_from_the_form(en, firm):
    manager, grants, _, _ = firm
    login_as(en, manager)
    nif = make_nif(73_000_003)
    data = _form([grants[1].customer], collaborator="new", id_number=nif, name="Pau Nou", email="pau@example.com")
    assert "Add Pau Nou" in en.post(reverse(BATCH_URL), data).content.decode()
    assert en.post(reverse(BATCH_URL), data | {"confirm": "1"}).status_code == 302
    assert _active(Person.objects.get(id_number=nif), [grants[1].customer])


def test_a_new_collaborator_without_name_or_email_gets_the_fields_errors(en, firm):
    manager, grants, _, _ = firm
    login_as(en, manager)
    response = en.post(reverse(BATCH_URL), _form([grants[1].customer], collaborator="new", id_number="X"))
    body = response.content.decode()
    assert response.status_code == 400 and "This field is required." in body
    assert not CollaboratorBatch.objects.exists()


@pytest.mark.parametrize(
    "role", ["representative", "authorised_full", "authorised_readonly", "collaborator", "outsider"]
)
def test_the_batch_pages_are_404_for_anyone_who_manages_no_collaborators(client, story, role):
    login_as(client, story.people()[role])
    assert client.get(reverse(BATCH_URL)).status_code == 404
    assert client.post(reverse(BATCH_URL), _form([story.customer], collaborator="new")).status_code == 404


def test_another_managers_batch_is_404(client, firm, story):
    manager, grants, collaborator, _ = firm
    batch = _apply(manager, collaborator, [grants[1].customer])
    login_as(client, story.manager)
    assert client.get(reverse("portal:collaborator_batch_detail", args=[batch.reference])).status_code == 404
    assert client.post(reverse("portal:undo_collaborator_batch", args=[batch.reference])).status_code == 404
    assert CollaboratorBatch.objects.get().undone_at is None


def test_the_batch_page_costs_the_same_queries_for_5_and_60_companies(client):
    manager = f.person(login=True)
    firm = f.firm()

    def companies(n):
        for _ in range(n):
            grant = f.grant(customer=f.customer(supply_points=1), person=manager, role="external_manager", firm=firm)
            accounts.delegate_to_collaborator(
                manager_grant=grant, person=f.person(), role="authorised_full", actor=f.actor(), reason="t"
            )

    companies(5)
    login_as(client, manager)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(BATCH_URL)).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    companies(55)
    assert count() == few
