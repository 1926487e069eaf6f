"""The database itself refuses what the services never do."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import Grant
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_database_refuses_two_active_representatives():
    customer = f.customer()
    f.grant(customer=customer, person=f.person(), role="representative")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.grant(customer=customer, person=f.person(), role="representative")


def test_revoked_representative_does_not_block_a_new_one():
    customer = f.customer()
    old = f.grant(customer=customer, person=f.person(), role="representative")
    Grant.objects.filter(pk=old.pk).update(revoked_at=timezone.now())
    f.grant(customer=customer, person=f.person(), role="representative")


def test_database_refuses_two_active_grants_for_one_person_and_customer():
    customer, person = f.customer(), f.person()
    f.grant(customer=customer, person=person, role="authorised_readonly")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.grant(customer=customer, person=person, role="authorised_full")


def test_database_refuses_external_manager_without_firm():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.grant(customer=f.customer(), person=f.person(), role="external_manager")


def test_database_refuses_revoking_manager_while_collaborator_is_active(story):
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.filter(pk=story.manager_grant.pk).update(revoked_at=timezone.now())


def test_database_refuses_collaborator_under_revoked_manager(story):
    Grant.objects.filter(pk=story.collaborator_grant.pk).update(revoked_at=timezone.now())
    Grant.objects.filter(pk=story.manager_grant.pk).update(revoked_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        f.grant(customer=story.customer, person=f.person(), role="authorised_full", delegated_from=story.manager_grant)


def test_database_refuses_collaborator_on_another_customer(story):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.grant(
            customer=story.other_customer, person=f.person(), role="authorised_full", delegated_from=story.manager_grant
        )


def test_database_refuses_delegating_from_a_non_manager_grant(story):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.grant(customer=story.customer, person=f.person(), role="authorised_full", delegated_from=story.full_grant)


def test_database_refuses_grant_for_unknown_person():
    customer = f.customer()
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(customer=customer, person_id=987654321, role="authorised_full")
        connection.check_constraints(table_names=["accounts_grant"])
