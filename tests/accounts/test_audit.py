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
        services.grant_role(customer=customer, person=f.person(), role="authorised_full", actor=audit.Actor(user=None, ip="10.0.0.7", label="tester"), reason="click")
    return list(AuditEvent.objects.order_by("id"))


def test_each_event_links_to_the_previous_hash():
    events = _three_events()
    assert events[0].prev_hash == audit.GENESIS_HASH
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert events[0].ip == "10.0.0.7" and events[0].actor_label == "tester"


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
        cursor.execute("DELETE FROM accounts_auditevent WHERE id = %s", [event.pk])


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
    _as_database_owner("UPDATE accounts_auditevent SET after = '{\"role\": \"representative\"}' WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match="broken"):
        call_command("verify_audit_chain")
    assert [b.event_id for b in audit.verify_chain()] == [events[1].pk]


def test_verify_command_detects_a_removed_event():
    events = _three_events()
    _as_database_owner("DELETE FROM accounts_auditevent WHERE id = %s", [events[1].pk])
    assert [b.event_id for b in audit.verify_chain()] == [events[2].pk]


def test_record_outside_a_transaction_is_a_bug():
    customer = f.customer()
    with pytest.raises(RuntimeError):
        # pytest-django wraps tests in a transaction; leave it to check the guard.
        connection.in_atomic_block, saved = False, connection.in_atomic_block
        try:
            audit.record(actor=f.actor(), action="x", target=customer, customer=customer, before=None, after=None, reason="x")
        finally:
            connection.in_atomic_block = saved
