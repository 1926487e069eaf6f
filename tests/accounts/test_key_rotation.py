"""Rotating the secret key (DJANGO_SECRET_KEY_FALLBACKS): the IBAN fingerprints it keys keep matching through the
old key, are re-keyed with the new one when matched, and stop matching when the old key is dropped un-rekeyed."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import selectors, services
from accounts.models import Contract
from backoffice.demo import make_iban
from tests import factories

OLD_KEY = "old-secret-key-kept-in-the-fallbacks-for-a-while-0123456789abcdef"
NEW_KEY = "new-secret-key-rotated-in-by-the-operator-9876543210-zyxwvutsrqpo"


def _keyed(key: str, iban: str) -> str:
    return hmac.new(key.encode(), iban.encode(), hashlib.sha256).hexdigest()


@pytest.fixture
def account(db, settings):
    """A customer whose contract's fingerprint was made under the old key, before the rotation."""
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    customer = factories.customer()
    iban = make_iban(4_242_424)
    contract = customer.contracts.get()
    Contract.objects.filter(pk=contract.pk).update(
        iban_last4=iban[-4:], iban_fingerprint=services.iban_fingerprint(iban)
    )
    contract.refresh_from_db()
    assert contract.iban_fingerprint == _keyed(OLD_KEY, iban)
    return customer, contract, iban


def _stored(contract: Contract) -> str:
    return Contract.objects.values_list("iban_fingerprint", flat=True).get(pk=contract.pk)


def test_after_rotation_the_bank_check_passes_and_the_fingerprint_is_rekeyed(account, settings):
    customer, contract, iban = account
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]

    assert services.iban_matches(contract=contract, iban=iban)
    assert _stored(contract) == _keyed(NEW_KEY, iban) == services.iban_fingerprint(iban)
    assert selectors.proof_matches(
        customer=customer, bank_last4=iban[-4:]
    )  # the 4 digits a caller gives: no key involved

    settings.SECRET_KEY_FALLBACKS = []  # the old key retired: the re-keyed fingerprint needs it no more
    assert services.iban_matches(contract=contract, iban=iban)


def test_with_the_old_key_dropped_an_unrekeyed_fingerprint_no_longer_matches(account, settings):
    _, contract, iban = account
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, []

    assert not services.iban_matches(contract=contract, iban=iban)
    assert _stored(contract) == _keyed(OLD_KEY, iban)  # nothing rewritten


def test_a_wrong_iban_matches_through_no_key_and_rekeys_nothing(account, settings):
    _, contract, iban = account
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]

    assert not services.iban_matches(contract=contract, iban=make_iban(4_242_425))
    assert _stored(contract) == _keyed(OLD_KEY, iban)


def test_the_iban_is_compared_as_written_on_paper(account, settings):
    _, contract, iban = account
    written = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)).lower()
    assert services.iban_matches(contract=contract, iban=written)


def test_a_contract_without_direct_debit_matches_nothing(db):
    contract = factories.customer(direct_debit=False).contracts.get()
    assert not services.iban_matches(contract=contract, iban=make_iban(1))


def test_the_check_and_the_rekey_are_one_locked_transaction(account, settings):
    _, contract, iban = account
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]

    with CaptureQueriesContext(connection) as queries:
        assert services.iban_matches(contract=contract, iban=iban)
    statements = [q["sql"] for q in queries.captured_queries]
    reads = [i for i, sql in enumerate(statements) if sql.startswith("SELECT")]
    writes = [i for i, sql in enumerate(statements) if sql.startswith("UPDATE")]
    assert len(reads) == 1 and "FOR UPDATE" in statements[reads[0]] and len(writes) == 1 and reads[0] < writes[0], (
        statements
    )
    assert any(
        sql.startswith("SAVEPOINT") for sql in statements[: reads[0]]
    )  # inside a transaction (the test's own, here)
