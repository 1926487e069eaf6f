"""The audit chain on PostgreSQL, with real COMMITs: events are sealed into the chain at commit.

These tests do not use the conftest's ``SET CONSTRAINTS ... IMMEDIATE`` (they commit), so they run
the deferred sealing trigger exactly as production does.
"""

import threading
import time

import pytest
from django.db import IntegrityError, connection, connections, transaction

from accounts import audit
from accounts.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the chain is sealed at commit only on PostgreSQL")


def _record(customer, label="x"):
    return audit.record(
        actor=audit.Actor.system("tester"),
        action=f"test.{label}",
        target=customer,
        customer=customer,
        before=None,
        after={"label": label},
        reason=label,
    )


def _chain():
    return list(AuditEvent.objects.order_by("chain_seq"))


def _in_thread(fn):
    """Run ``fn`` on its own thread (so on its own database connection); returns (thread, outcome dict)."""
    outcome = {}

    def run():
        try:
            outcome["value"] = fn()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _joined(thread, outcome, timeout=20):
    thread.join(timeout)
    assert not thread.is_alive(), "the thread is stuck"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _as_database_owner(sql, params):
    """What an attacker with the database owner's rights could do: bypass the triggers."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def test_an_event_is_sealed_at_commit():
    customer = f.customer()
    with transaction.atomic():
        event = _record(customer)
        pending = AuditEvent.objects.get(pk=event.pk)
        assert event.chain_seq is None and event.hash is None
        assert (pending.chain_seq, pending.prev_hash, pending.hash) == (None, None, None)
        assert pending.content_hash == pending.compute_content_hash()
    sealed = AuditEvent.objects.get(pk=event.pk)
    assert sealed.chain_seq == 1 and sealed.prev_hash == audit.GENESIS_HASH
    assert sealed.hash == AuditEvent.link_hash(audit.GENESIS_HASH, sealed.content_hash)
    assert list(audit.verify_chain()) == []


def test_events_of_one_transaction_are_chained_in_the_order_recorded():
    customer = f.customer()
    with transaction.atomic():
        first = _record(customer, "first")
    with transaction.atomic():
        ids = [_record(customer, label).pk for label in ("a", "b", "c")]
    chain = _chain()
    assert [e.pk for e in chain] == [first.pk, *ids] and [e.chain_seq for e in chain] == [1, 2, 3, 4]
    assert list(audit.verify_chain()) == []


class _Rollback(Exception):
    pass


def test_rollback_of_a_transaction_or_a_savepoint_leaves_no_event_and_no_gap():
    customer = f.customer()
    with transaction.atomic():
        kept = [_record(customer, "one")]
    with pytest.raises(_Rollback), transaction.atomic():
        _record(customer, "rolled back")
        raise _Rollback
    with transaction.atomic():
        kept.append(_record(customer, "two"))
        with pytest.raises(_Rollback), transaction.atomic():
            _record(customer, "savepoint rolled back")
            raise _Rollback
        kept.append(_record(customer, "three"))
    chain = _chain()
    assert [e.pk for e in chain] == [e.pk for e in kept] and [e.chain_seq for e in chain] == [1, 2, 3]
    assert list(audit.verify_chain()) == []


def test_the_chain_lock_is_not_held_between_the_event_and_the_commit():
    customer = f.customer()

    def try_lock():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [audit._CHAIN_LOCK_KEY])
            return cursor.fetchone()[0]

    with transaction.atomic():
        _record(customer)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
            assert cursor.fetchone()[0] == 0
        assert _joined(*_in_thread(try_lock)) is True
    assert list(audit.verify_chain()) == []


def test_the_commit_takes_the_chain_lock():
    """While someone else holds the chain's lock, recording goes on but the commit waits for it."""
    customer = f.customer()
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [audit._CHAIN_LOCK_KEY])
            locked.set()
            assert release.wait(20)

    holder = _in_thread(hold_the_lock)
    assert locked.wait(20)
    recorded = threading.Event()

    def record_and_commit():
        with transaction.atomic():
            event = _record(customer)
            recorded.set()
        return event.pk

    committer = _in_thread(record_and_commit)
    try:
        assert recorded.wait(20), "recording an event must not wait for the chain lock"
        time.sleep(0.5)
        assert committer[0].is_alive(), "the commit should be waiting for the chain lock"
    finally:
        release.set()
    _joined(*holder)
    event_id = _joined(*committer)
    assert AuditEvent.objects.get(pk=event_id).chain_seq == 1
    assert list(audit.verify_chain()) == []


def test_concurrent_appenders_are_chained_in_commit_order():
    """A starts first and records first (lower id) but commits last: the chain has B before A."""
    customer = f.customer()
    a_recorded, b_committed = threading.Event(), threading.Event()

    def a():
        with transaction.atomic():
            event = _record(customer, "A")
            a_recorded.set()
            assert b_committed.wait(20), "B could not commit while A's transaction was open"
        return event.pk

    def b():
        assert a_recorded.wait(20)
        with transaction.atomic():
            event = _record(customer, "B")
        b_committed.set()
        return event.pk

    thread_a, thread_b = _in_thread(a), _in_thread(b)
    b_id = _joined(*thread_b)
    a_id = _joined(*thread_a)
    assert a_id < b_id
    chain = _chain()
    assert [e.pk for e in chain] == [b_id, a_id] and [e.chain_seq for e in chain] == [1, 2]
    assert chain[1].prev_hash == chain[0].hash
    assert list(audit.verify_chain()) == []


def test_many_concurrent_appenders_keep_one_chain():
    customer = f.customer()
    start = threading.Barrier(4)

    def appender(n):
        def run():
            start.wait(20)
            for k in range(5):
                with transaction.atomic():
                    _record(customer, f"{n}.{k}.1")
                    _record(customer, f"{n}.{k}.2")

        return run

    threads = [_in_thread(appender(n)) for n in range(4)]
    for thread in threads:
        _joined(*thread, timeout=60)
    chain = _chain()
    assert [e.chain_seq for e in chain] == list(range(1, 41))
    # each transaction's two events are adjacent: a commit seals its events in one go
    by_seq = {e.reason: e.chain_seq for e in chain}
    assert all(by_seq[f"{n}.{k}.2"] == by_seq[f"{n}.{k}.1"] + 1 for n in range(4) for k in range(5))
    assert list(audit.verify_chain()) == []


def test_a_sealed_event_cannot_be_updated_or_resealed():
    customer = f.customer()
    with transaction.atomic():
        event = _record(customer)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_auditevent SET reason = 'forged' WHERE id = %s", [event.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_auditevent SET hash = %s WHERE id = %s", ["f" * 64, event.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_auditevent SET chain_seq = NULL, prev_hash = NULL, hash = NULL WHERE id = %s", [event.pk]
        )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_auditevent WHERE id = %s", [event.pk])
    assert list(audit.verify_chain()) == []


def test_only_the_trigger_may_seal_an_event():
    """Inside its own transaction a client sees its unsealed event, but may not seal (or change) it itself."""
    customer = f.customer()
    with transaction.atomic():
        first = _record(customer)
    first.refresh_from_db()
    with pytest.raises(IntegrityError), transaction.atomic():
        event = _record(customer)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE accounts_auditevent SET chain_seq = 2, prev_hash = %s, hash = %s WHERE id = %s",
                [first.hash, AuditEvent.link_hash(first.hash, event.content_hash), event.pk],
            )
    with pytest.raises(IntegrityError), transaction.atomic():
        event = _record(customer)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE accounts_auditevent SET reason = 'changed before commit' WHERE id = %s", [event.pk])
    assert [e.pk for e in _chain()] == [first.pk]
    assert list(audit.verify_chain()) == []


def _three_committed_events():
    customer = f.customer()
    for label in ("one", "two", "three"):
        with transaction.atomic():
            _record(customer, label)
    return _chain()


def test_an_altered_event_is_detected():
    events = _three_committed_events()
    _as_database_owner('UPDATE accounts_auditevent SET after = \'{"label": "forged"}\' WHERE id = %s', [events[1].pk])
    breaks = list(audit.verify_chain())
    assert [b.event_id for b in breaks] == [events[1].pk] and "altered" in breaks[0].problem


def test_a_removed_event_is_detected():
    events = _three_committed_events()
    _as_database_owner("DELETE FROM accounts_auditevent WHERE id = %s", [events[1].pk])
    breaks = list(audit.verify_chain())
    assert [b.event_id for b in breaks] == [events[2].pk] and "removed" in breaks[0].problem


def test_an_event_slipped_in_unsealed_is_detected():
    """With the triggers off (replica role) an inserted row is never sealed: verify reports it."""
    events = _three_committed_events()
    columns = "at, actor_label, action, target_type, target_id, reason, request_ref, content_hash"
    _as_database_owner(
        f"INSERT INTO accounts_auditevent ({columns}) VALUES (now(), 'x', 'x', 'x', '1', 'x', '', %s)",
        [events[0].content_hash],
    )
    breaks = list(audit.verify_chain())
    assert len(breaks) == 1 and breaks[0].event_id not in {e.pk for e in events} and "never sealed" in breaks[0].problem
