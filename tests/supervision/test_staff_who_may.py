"""``staff_who_may``: who may verify or supervise, asked of ``authority.staff_may``, in a fixed number of queries
whatever the number of staff (the permission caches it fills must stay Django's own: the query count fails if they
are renamed)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

import authority
from accounts.models import User
from supervision import selectors
from tests import factories
from tests.workflows.paperwork import staff

pytestmark = pytest.mark.django_db


def asked(action) -> tuple[list, int]:
    with CaptureQueriesContext(connection) as captured:
        users = selectors.staff_who_may(action)
        mays = [authority.staff_may(user, action) for user in users]
    assert all(mays)
    return users, len(captured)


def test_three_queries_for_one_verifier_or_for_many():
    staff("verifiers", "vera")
    _users, one = asked(authority.StaffAction.VERIFY)
    for n in range(6):
        staff("verifiers" if n % 2 else "supervisors", f"staff{n}")
    users, many = asked(authority.StaffAction.VERIFY)
    assert len(users) == 7 and one == many == 3


def test_the_answers_are_those_of_a_user_read_afresh():
    direct = factories.staff_user("direct")  # the permission given to the person, not through a group
    direct.user_permissions.add(
        Permission.objects.get(codename="supervise_request", content_type__app_label="workflows")
    )
    vera = staff("verifiers", "vera")
    staff("callcenter_agents", "agent")
    supervisors = selectors.staff_who_may(authority.StaffAction.SUPERVISE)
    verifiers = selectors.staff_who_may(authority.StaffAction.VERIFY)
    assert supervisors == [direct]
    assert sorted(u.pk for u in verifiers) == sorted([direct.pk, vera.pk])
    for user in verifiers:
        fresh = User.objects.get(pk=user.pk)
        assert user.get_all_permissions() == fresh.get_all_permissions()
        assert user.get_group_permissions() == fresh.get_group_permissions()


def test_inactive_or_non_staff_holders_are_left_out():
    gone = staff("verifiers", "gone")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    vera = staff("verifiers", "vera")
    factories.person(login=True).user.groups.add(vera.groups.get())  # a customer's login put in the group
    assert selectors.staff_who_may(authority.StaffAction.VERIFY) == [vera]
