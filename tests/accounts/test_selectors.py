import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import authority
from accounts import selectors
from tests import factories as f

pytestmark = pytest.mark.django_db


def _supplies(person):
    return selectors.supplies_visible_to(authority.authorities_of(person).values())


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_supplies_visible_to_groups_by_customer_with_role(story):
    groups = _supplies(story.manager)
    assert [(g.customer, g.grant.role, len(g.supply_points)) for g in groups] == [
        (story.customer, "external_manager", 2)
    ]


def test_supplies_limited_to_the_manager_scope():
    from accounts import services

    customer = f.customer(supply_points=3)
    manager = f.person()
    point = customer.contracts.first().supply_points.order_by("cups").last()
    services.register_external_manager(
        customer=customer, person=manager, firm=f.firm(), actor=f.actor(), reason="x", supply_points=[point]
    )
    assert _supplies(manager)[0].supply_points == [point]


def test_supplies_query_count_does_not_grow_with_rows():
    person = f.person()
    f.grant(customer=f.customer(supply_points=1), person=person, role="authorised_full")
    small = _queries(lambda: _supplies(person))
    for _ in range(6):
        f.grant(customer=f.customer(supply_points=4), person=person, role="authorised_readonly")
    assert _queries(lambda: _supplies(person)) == small


def test_revoked_grants_give_no_access(story):
    from accounts import services

    services.revoke_grant(grant=story.readonly_grant, actor=f.actor(), reason="x")
    assert _supplies(story.readonly) == []
    assert not authority.authority_of(story.readonly, story.customer.pk).can_view


def test_supplies_of_a_manager_limited_to_no_supply_point_are_none():
    customer, manager = f.customer(supply_points=2), f.person()
    f.grant(customer=customer, person=manager, role="external_manager", firm=f.firm(), supply_points=[])
    [group] = _supplies(manager)
    assert group.supply_points == []


def test_proof_matches_bank_digits_or_recent_paid_invoice():
    with_debit = f.customer()
    last4 = with_debit.contracts.first().iban_last4
    assert selectors.proof_matches(customer=with_debit, bank_last4=last4)
    assert not selectors.proof_matches(customer=with_debit, bank_last4="0000" if last4 != "0000" else "1111")
    # A holder that pays by direct debit must use the bank digits.
    from decimal import Decimal

    assert not selectors.proof_matches(customer=with_debit, invoice_total=Decimal("120.50"))
    no_debit = f.customer(direct_debit=False, invoices=("10.00", "20.00", "30.00", "40.00"))
    assert selectors.proof_matches(customer=no_debit, invoice_total=Decimal("30.00"))
    assert not selectors.proof_matches(customer=no_debit, invoice_total=Decimal("40.00"))  # the fourth newest
