"""One throttle for every guessable secret: counted before the check, one counter per secret, locks lifted by supervisors."""

import logging
import threading

import pytest
from django.db import connection
from django.urls import reverse

from accounts import throttle
from accounts.models import AuditEvent, FailedAttempt
from tests import factories as f
from tests.workflows.paperwork import staff

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_concurrent_tries_never_check_more_than_the_limit(settings):
    results, barrier = [], threading.Barrier(12)

    def one_try():
        try:
            barrier.wait()
            results.append(throttle.attempt(throttle.PASSWORD, identifier="12345678Z", address="10.0.0.1"))
        finally:
            connection.close()

    threads = [threading.Thread(target=one_try) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checked = [tried for tried in results if not tried.locked]
    assert len(results) == 12 and len(checked) <= settings.LOCKOUT_MAX_ATTEMPTS
    # one after the other, exactly the limit is checked
    sequential = [throttle.attempt(throttle.PASSWORD, identifier="11111111H", address="10.0.0.1") for _ in range(12)]
    assert [tried.locked for tried in sequential] == [False] * settings.LOCKOUT_MAX_ATTEMPTS + [True] * (
        12 - settings.LOCKOUT_MAX_ATTEMPTS
    )


def test_a_locked_try_is_not_checked_and_does_not_count(settings):
    for _ in range(settings.LOCKOUT_MAX_ATTEMPTS):
        throttle.failed(throttle.attempt(throttle.HOLDER_PROOF, identifier="B12345674", address="10.0.0.1"))
    tried = throttle.attempt(throttle.HOLDER_PROOF, identifier="B12345674", address="10.0.0.2")
    assert (
        tried.locked and FailedAttempt.objects.filter(scope="holder_proof:id").count() == settings.LOCKOUT_MAX_ATTEMPTS
    )


def test_the_holder_proof_is_one_counter_for_the_registration_and_the_call_center(
    client, settings, django_capture_on_commit_callbacks
):
    from tests.callcenter.helpers import logged_in, take_call, verify

    customer = f.customer()
    caller = f.person()
    f.grant(customer=customer, person=caller, role="representative")
    wrong = "0000" if customer.contracts.first().iban_last4 != "0000" else "1111"
    for _ in range(settings.LOCKOUT_MAX_ATTEMPTS - 2):  # in the customer area
        client.post(
            reverse("portal:register"),
            {"holder_id": customer.tax_id, "proof": "bank", "bank_last4": wrong},
            REMOTE_ADDR="10.3.3.3",
        )
    console = logged_in(staff("callcenter_agents"))
    for _ in range(2):  # on the phone
        verify(console, take_call(console, customer), caller, bank_last4=wrong)
    interaction = take_call(console, customer)
    verify(console, interaction, caller)  # the right digits, too late
    interaction.refresh_from_db()
    assert interaction.verification == "locked"


def test_supervisors_see_and_lift_a_lock_audited_and_logged(client, settings, caplog):
    for _ in range(settings.LOCKOUT_MAX_ATTEMPTS):
        throttle.failed(throttle.attempt(throttle.PASSWORD, identifier="12345678Z", address="10.0.0.7"))
    [lock] = [lock for lock in throttle.active_locks() if lock.scope == "password:id+ip"]
    assert lock.tries == settings.LOCKOUT_MAX_ATTEMPTS and "12345678Z" not in lock.shown
    supervisor = staff("supervisors")
    client.force_login(supervisor)
    page = client.get(reverse("staff:supervision:locks")).content.decode()
    assert "password:id+ip" in page and "12345678Z|" not in page.replace(lock.key, "")
    assert (
        client.post(
            reverse("staff:supervision:lift_lock"), {"scope": lock.scope, "key": lock.key, "reason": "short"}
        ).status_code
        == 302
    )
    assert throttle.is_locked(throttle.PASSWORD, identifier="12345678Z", address="10.0.0.7")
    with caplog.at_level(logging.WARNING, logger="security"):
        client.post(
            reverse("staff:supervision:lift_lock"),
            {"scope": lock.scope, "key": lock.key, "reason": "called the customer back"},
        )
    assert not throttle.is_locked(throttle.PASSWORD, identifier="12345678Z", address="10.0.0.7")
    assert AuditEvent.objects.filter(action="lock.lift", actor=supervisor, reason="called the customer back").exists()
    assert any("unlock" in record.getMessage() for record in caplog.records)


def test_only_supervisors_reach_the_locks(client):
    client.force_login(staff("verifiers"))
    assert client.get(reverse("staff:supervision:locks")).status_code == 403


def test_a_lock_is_logged_as_a_security_event(settings, caplog):
    with caplog.at_level(logging.WARNING, logger="security"):
        for _ in range(settings.LOCKOUT_MAX_ATTEMPTS + 1):
            throttle.attempt(throttle.PASSWORD, identifier="87654321X", address="10.0.0.9")
    assert any(
        record.getMessage().startswith("lock: password:id+ip") and "87654321X" not in record.getMessage()
        for record in caplog.records
    )
