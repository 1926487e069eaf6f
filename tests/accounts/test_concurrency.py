"""Two people made representative of one company at the same moment, on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from accounts import services
from accounts.models import Grant
from tests import factories as f


def _race(targets):
    barrier = threading.Barrier(len(targets))
    outcomes = [None] * len(targets)

    def run(i, fn):
        try:
            barrier.wait()
            outcomes[i] = ("ok", fn())
        except services.RepresentativeExists as error:
            outcomes[i] = ("refused", error)
        except Exception as error:  # any other exception is a defect the test must show
            outcomes[i] = ("crash", repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_representatives_one_wins_other_gets_clear_error(attempt):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are real only on PostgreSQL")
    customer, alice, bob = f.customer(), f.person(), f.person()
    outcomes = _race(
        [
            lambda: services.grant_role(
                customer=customer, person=alice, role="representative", actor=f.actor(), reason="race"
            ),
            lambda: services.grant_role(
                customer=customer, person=bob, role="representative", actor=f.actor(), reason="race"
            ),
        ]
    )
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    assert Grant.objects.filter(customer=customer, role="representative", revoked_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_transfers_with_expected_current_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are real only on PostgreSQL")
    customer, current, alice, bob = f.customer(), f.person(), f.person(), f.person()
    f.grant(customer=customer, person=current, role="representative")
    outcomes = _race(
        [
            lambda: services.transfer_representative(
                customer=customer,
                new_person=alice,
                outgoing="deactivate",
                actor=f.actor(),
                reason="race",
                expected_current=current,
            ),
            lambda: services.transfer_representative(
                customer=customer,
                new_person=bob,
                outgoing="deactivate",
                actor=f.actor(),
                reason="race",
                expected_current=current,
            ),
        ]
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert Grant.objects.filter(customer=customer, role="representative", revoked_at__isnull=True).count() == 1
