import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from accounts import audit, services
from accounts.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def _three_events():
    customer = f.customer()
    for _ in range(3):
        services.grant_role(
            customer=customer,
            person=f.person(),
            role="authorised_full",
            actor=audit.Actor(user=None, ip="10.0.0.7", label="tester"),
            reason="click",
        )
    return list(AuditEvent.objects.order_by("chain_seq"))


def test_each_event_links_to_the_previous_hash():
    events = _three_events()
    assert [e.chain_seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == audit.GENESIS_HASH
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert all(e.content_hash == e.compute_content_hash() for e in events)
    assert all(e.hash == AuditEvent.link_hash(e.prev_hash, e.content_hash) for e in events)
    assert events[0].ip == "10.0.0.7" and events[0].actor_label == "tester"


def test_events_are_sealed_at_insert_under_the_db_fixture():
    """tests/conftest.py seals at insert on PostgreSQL (these tests never commit); SQLite always does."""
    customer = f.customer()
    with transaction.atomic():
        event = audit.record(
            actor=f.actor(), action="x", target=customer, customer=customer, before=None, after={"a": 1}, reason="x"
        )
        row = AuditEvent.objects.get(pk=event.pk)
    assert row.chain_seq == 1 and row.prev_hash == audit.GENESIS_HASH and row.hash == row.compute_hash()
    assert list(audit.verify_chain()) == []


def test_ipv6_is_hashed_as_the_database_stores_it():
    customer = f.customer()
    with transaction.atomic():
        audit.record(
            actor=audit.Actor(user=None, ip="2001:DB8:0:0::1"),
            action="x",
            target=customer,
            customer=customer,
            before=None,
            after=None,
            reason="x",
        )
    assert AuditEvent.objects.get().ip == "2001:db8::1"
    assert list(audit.verify_chain()) == []


def test_verify_command_accepts_an_intact_chain(capsys):
    _three_events()
    call_command("verify_audit_chain")
    assert "intact: 3 events" in capsys.readouterr().out


def test_orm_refuses_to_change_or_delete_events():
    event = _three_events()[0]
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(TypeError):
        event.delete()


def test_database_refuses_update_and_delete_of_events():
    event = _three_events()[0]
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_auditevent SET reason = 'forged' WHERE id = %s", [event.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_auditevent SET chain_seq = NULL, prev_hash = NULL, hash = NULL WHERE id = %s", [event.pk]
        )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_auditevent WHERE id = %s", [event.pk])


def test_database_refuses_an_event_inserted_with_the_wrong_chain_fields():
    """PostgreSQL: only the sealing trigger sets them. SQLite: record() must set them."""
    event = _three_events()[0]
    columns = (
        "at, actor_label, action, target_type, target_id, reason, request_ref, content_hash, chain_seq, prev_hash, hash"
    )
    sealed = connection.vendor == "postgresql"  # the wrong thing to do on each
    values = [event.at, "x", "x", "x", "1", "x", "", event.content_hash] + (
        [99, event.hash, "f" * 64] if sealed else [None, None, None]
    )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO accounts_auditevent ({columns}) VALUES ({', '.join(['%s'] * len(values))})", values
        )


def _as_database_owner(sql, params):
    """What an attacker with the database owner's rights could do: bypass the triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            pytest.skip("tampering test needs PostgreSQL")


def test_verify_command_detects_an_altered_event():
    events = _three_events()
    _as_database_owner(
        'UPDATE accounts_auditevent SET after = \'{"role": "representative"}\' WHERE id = %s', [events[1].pk]
    )
    with pytest.raises(CommandError, match="broken"):
        call_command("verify_audit_chain")
    assert [b.event_id for b in audit.verify_chain()] == [events[1].pk]


def test_verify_command_detects_a_removed_event():
    events = _three_events()
    _as_database_owner("DELETE FROM accounts_auditevent WHERE id = %s", [events[1].pk])
    assert [b.event_id for b in audit.verify_chain()] == [events[2].pk]


def test_verify_detects_a_removed_event_with_the_chain_renumbered():
    events = _three_events()
    _as_database_owner("DELETE FROM accounts_auditevent WHERE id = %s", [events[1].pk])
    _as_database_owner("UPDATE accounts_auditevent SET chain_seq = 2 WHERE id = %s", [events[2].pk])
    breaks = list(audit.verify_chain())
    assert [b.event_id for b in breaks] == [events[2].pk] and "removed or reordered" in breaks[0].problem


def test_verify_detects_reordered_events():
    events = _three_events()
    _as_database_owner(
        "UPDATE accounts_auditevent SET chain_seq = -chain_seq WHERE id IN (%s, %s)", [events[0].pk, events[1].pk]
    )
    _as_database_owner(
        "UPDATE accounts_auditevent SET chain_seq = CASE id WHEN %s THEN 2 ELSE 1 END WHERE id IN (%s, %s)",
        [events[0].pk, events[0].pk, events[1].pk],
    )
    assert {b.event_id for b in audit.verify_chain()} == {e.pk for e in events}


def test_verify_detects_altered_chain_fields():
    events = _three_events()
    forged = AuditEvent.link_hash(events[1].prev_hash, "0" * 64)
    _as_database_owner("UPDATE accounts_auditevent SET hash = %s WHERE id = %s", [forged, events[1].pk])
    breaks = list(audit.verify_chain())
    assert [b.event_id for b in breaks] == [events[1].pk, events[2].pk]
    assert "link hash" in breaks[0].problem and "previous hash" in breaks[1].problem


def test_verify_reports_an_event_left_unsealed():
    events = _three_events()
    _as_database_owner(
        "UPDATE accounts_auditevent SET chain_seq = NULL, prev_hash = NULL, hash = NULL WHERE id = %s", [events[2].pk]
    )
    breaks = list(audit.verify_chain())
    assert [b.event_id for b in breaks] == [events[2].pk] and "never sealed" in breaks[0].problem
    with pytest.raises(CommandError, match="broken in 1 place"):
        call_command("verify_audit_chain")


def test_record_outside_a_transaction_is_a_bug():
    customer = f.customer()
    with pytest.raises(RuntimeError):
        # pytest-django wraps tests in a transaction; leave it to check the guard.
        connection.in_atomic_block, saved = False, connection.in_atomic_block
        try:
            audit.record(
                actor=f.actor(), action="x", target=customer, customer=customer, before=None, after=None, reason="x"
            )
        finally:
            connection.in_atomic_block = saved
