"""The one rule, role by role: what ``authority`` allows on a customer, with scope and delegation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import authority
from accounts import services
from authority import Action
from tests import factories as f

pytestmark = pytest.mark.django_db

A = Action
EXPECTED = {
    "representative": {
        A.VIEW,
        A.VIEW_CONTACTS,
        A.MANAGE_CONTACTS,
        A.VIEW_REQUESTS,
        A.START_REPRESENTATIVE_CHANGE,
        A.START_EXTERNAL_MANAGER,
        A.CHANGE_PAYMENT_DAY,
    },
    "authorised_full": {
        A.VIEW,
        A.VIEW_CONTACTS,
        A.VIEW_REQUESTS,
        A.START_REPRESENTATIVE_CHANGE,
        A.START_EXTERNAL_MANAGER,
        A.CHANGE_PAYMENT_DAY,
    },
    "authorised_readonly": {A.VIEW, A.VIEW_CONTACTS, A.VIEW_REQUESTS},
    "external_manager": {A.VIEW, A.VIEW_CONTACTS, A.MANAGE_COLLABORATORS, A.VIEW_REQUESTS},
    "collaborator": {A.VIEW, A.VIEW_CONTACTS, A.VIEW_REQUESTS},
    "outsider": set(),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_actions_of_each_role_on_the_whole_customer(story, role):
    found = authority.authority_of(story.people()[role], story.customer.pk)
    assert set(found.actions) == EXPECTED[role]
    assert found.whole_customer is (role != "outsider")


def test_a_scoped_manager_and_its_collaborators_lose_everything_customer_wide_and_see_only_the_scope():
    customer = f.customer(supply_points=3)
    points = list(customer.contracts.get().supply_points.order_by("cups"))
    manager, collaborator = f.person(), f.person()
    grant = f.grant(customer=customer, person=manager, role="external_manager", firm=f.firm(), supply_points=points[:1])
    f.grant(customer=customer, person=collaborator, role="authorised_full", delegated_from=grant)
    for person in (manager, collaborator):
        found = authority.authority_of(person, customer.pk)
        assert found.scope == frozenset({points[0].pk})
        assert not found.may(A.VIEW_REQUESTS) and not found.can_start_requests
        assert found.sees_supply_point(points[0].pk) and not found.sees_supply_point(points[1].pk)
    assert authority.authority_of(manager, customer.pk).may(A.MANAGE_COLLABORATORS)


def test_an_empty_limited_scope_is_nothing_not_everything():
    customer = f.customer(supply_points=2)
    manager = f.person()
    f.grant(customer=customer, person=manager, role="external_manager", firm=f.firm(), supply_points=[])
    found = authority.authority_of(manager, customer.pk)
    assert found.active and found.scope == frozenset()
    assert not any(found.sees_supply_point(sp.pk) for sp in customer.contracts.get().supply_points.all())


def test_revoking_the_manager_ends_its_collaborators_authority(story):
    services.revoke_grant(grant=story.manager_grant, actor=f.actor(), reason="test")
    assert not authority.authority_of(story.collaborator, story.customer.pk).active
    assert story.customer.pk not in authority.authorities_of(story.collaborator)


def test_identities_are_seen_by_the_representative_and_by_a_manager_for_its_collaborators_only(story):
    rep = authority.authority_of(story.representative, story.customer.pk)
    manager = authority.authority_of(story.manager, story.customer.pk)
    full = authority.authority_of(story.full, story.customer.pk)
    readonly = authority.authority_of(story.readonly, story.customer.pk)
    assert all(rep.sees_identity_of(g) for g in (story.full_grant, story.manager_grant, story.collaborator_grant))
    assert manager.sees_identity_of(story.collaborator_grant) and not manager.sees_identity_of(story.rep_grant)
    assert not full.sees_identity_of(story.rep_grant) and full.sees_identity_of(story.full_grant)
    assert not readonly.sees_identity_of(story.full_grant)


def test_edit_rights_follow_the_role(story):
    rep = authority.authority_of(story.representative, story.customer.pk)
    manager = authority.authority_of(story.manager, story.customer.pk)
    assert manager.may_edit(story.collaborator_grant) and not manager.may_edit(story.full_grant)
    assert rep.may_edit(story.manager_grant) and not rep.may_edit(story.rep_grant)
    assert not rep.may_change_role(story.manager_grant) and rep.may_change_role(story.full_grant)


def test_authorities_of_costs_the_same_queries_for_one_customer_as_for_many():
    person = f.person()
    manager_of = f.customer(supply_points=2)
    f.grant(
        customer=manager_of,
        person=person,
        role="external_manager",
        firm=f.firm(),
        supply_points=list(manager_of.contracts.get().supply_points.all()[:1]),
    )
    with CaptureQueriesContext(connection) as few:
        authority.authorities_of(person)
    for _ in range(5):
        customer = f.customer(supply_points=3)
        f.grant(
            customer=customer,
            person=person,
            role="external_manager",
            firm=f.firm(),
            supply_points=list(customer.contracts.get().supply_points.all()[:2]),
        )
    with CaptureQueriesContext(connection) as many:
        assert len(authority.authorities_of(person)) == 6
    assert len(many.captured_queries) == len(few.captured_queries) == 2


@pytest.mark.parametrize("group, may_read", [("verifiers", True), ("supervisors", True), ("callcenter_agents", False)])
def test_staff_read_documents_by_permission_not_by_group_name(group, may_read):
    from django.contrib.auth.models import Group

    user = f.staff_user()
    user.groups.add(Group.objects.get(name=group))
    assert authority.staff_may(user, authority.StaffAction.READ_DOCUMENTS) is may_read
    renamed = f.staff_user()
    renamed_group = Group.objects.create(name="document readers under another name")
    renamed_group.permissions.set(Group.objects.get(name=group).permissions.all())
    renamed.groups.add(renamed_group)
    assert authority.staff_may(renamed, authority.StaffAction.READ_DOCUMENTS) is may_read
