"""Tamper evidence beyond the chain itself: TRUNCATE refused, and the chain's head anchored outside the
database so that a deleted tail or a truncation -- which leave a shorter chain that still links -- is
reported. PostgreSQL, with real COMMITs (the sealing trigger runs as in production)."""

import json
import logging
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from accounts import audit, tasks
from accounts.models import AuditEvent
from backoffice.celery import app
from tests import factories as f
from tests.documents.conftest import S3_KEY, S3_REGION, S3_SECRET, moto_endpoint, s3_client  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (TRUNCATE, triggers disabled by the table owner)")


@pytest.fixture(autouse=True)
def anchors_file(settings, tmp_path):
    path = tmp_path / "audit-anchors.jsonl"
    settings.AUDIT_ANCHOR_SINK = f"file://{path}"
    return path


def _anchors(path):
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _committed_events(n=3):
    customer = f.customer()
    for number in range(n):
        with transaction.atomic():
            audit.record(
                actor=audit.Actor.system("tester"),
                action="test.event",
                target=customer,
                customer=customer,
                before=None,
                after={"number": number},
                reason=f"event {number}",
            )
    return list(AuditEvent.objects.order_by("chain_seq"))


def _as_table_owner(*statements):
    """What the table's owner could do: switch the triggers off, tamper, switch them back on."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE accounts_auditevent DISABLE TRIGGER USER")
        for statement, params in statements:
            cursor.execute(statement, params)
        cursor.execute("ALTER TABLE accounts_auditevent ENABLE TRIGGER USER")


def _verify_fails(capsys):
    with pytest.raises(CommandError, match="audit chain broken"):
        call_command("verify_audit_chain")
    return capsys.readouterr().err


def test_truncate_of_the_audit_log_is_refused():
    events = _committed_events()
    with (
        pytest.raises(IntegrityError, match="cannot be truncated"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE accounts_auditevent")
    assert AuditEvent.objects.count() == len(events)


def test_an_intact_chain_is_anchored_and_then_verified_against_its_anchor(anchors_file, capsys):
    events = _committed_events()
    call_command("verify_audit_chain", "--anchor")
    assert "intact: 3 events; anchored its head at position 3" in capsys.readouterr().out
    [anchor] = _anchors(anchors_file)
    assert (anchor["chain_seq"], anchor["hash"], anchor["count"]) == (3, events[-1].hash, 3) and anchor["at"]
    _committed_events(1)
    call_command("verify_audit_chain")
    assert "intact: 4 events; holds the anchor at position 3" in capsys.readouterr().out


def test_an_empty_chain_is_anchored_at_position_zero(anchors_file):
    assert audit.verify_and_anchor().chain_seq == 0
    assert [(a["chain_seq"], a["hash"], a["count"]) for a in _anchors(anchors_file)] == [(0, audit.GENESIS_HASH, 0)]
    _committed_events(1)
    assert audit.verify_anchored_chain()[1] == []


def test_a_deleted_tail_is_reported_against_the_anchor(capsys):
    events = _committed_events()
    audit.verify_and_anchor()
    _as_table_owner(("DELETE FROM accounts_auditevent WHERE chain_seq >= %s", [2]))
    assert list(audit.verify_chain()) == [], "the shorter chain still links: only the anchor shows the loss"
    err = _verify_fails(capsys)
    assert "position 3" in err and "tail was deleted" in err and "2 of the 3 events" in err
    assert events[0].pk == AuditEvent.objects.get().pk


@pytest.mark.parametrize("removal", ["DELETE FROM accounts_auditevent", "TRUNCATE accounts_auditevent"])
def test_a_truncation_is_reported_against_the_anchor(removal, capsys):
    _committed_events()
    audit.verify_and_anchor()
    _as_table_owner((removal, None))
    assert AuditEvent.objects.count() == 0 and list(audit.verify_chain()) == []
    err = _verify_fails(capsys)
    assert "tail was deleted or the table truncated" in err and "0 events where there were 3" in err


def test_a_rewritten_tail_is_reported_against_the_anchor(capsys):
    """The newest event altered, its hashes recomputed so the chain links: its hash is not the anchored one."""
    events = _committed_events()
    audit.verify_and_anchor()
    forged = events[-1]
    forged.reason = "forged"
    content_hash = forged.compute_content_hash()
    _as_table_owner(
        (
            "UPDATE accounts_auditevent SET reason = %s, content_hash = %s, hash = %s WHERE id = %s",
            [forged.reason, content_hash, AuditEvent.link_hash(forged.prev_hash, content_hash), forged.pk],
        )
    )
    assert list(audit.verify_chain()) == [], "the forged chain links"
    assert "has another hash (the chain was rewritten)" in _verify_fails(capsys)


def test_a_later_shorter_anchor_does_not_hide_a_loss(anchors_file):
    _committed_events()
    audit.verify_and_anchor()
    _as_table_owner(("DELETE FROM accounts_auditevent WHERE chain_seq = %s", [3]))
    audit.anchor_sink().write(audit.chain_head())  # someone anchors the shortened chain without verifying
    assert [a["chain_seq"] for a in _anchors(anchors_file)] == [3, 2]
    anchor, breaks = audit.verify_anchored_chain()
    assert anchor.chain_seq == 3 and breaks


def test_a_broken_chain_is_not_anchored(anchors_file):
    _committed_events()
    audit.verify_and_anchor()
    _as_table_owner(("DELETE FROM accounts_auditevent WHERE chain_seq = %s", [3]))
    with pytest.raises(audit.AuditChainBroken, match="missing"):
        audit.verify_and_anchor()
    assert len(_anchors(anchors_file)) == 1


def test_the_daily_task_anchors_an_intact_chain(anchors_file):
    _committed_events()
    assert tasks.verify_and_anchor_audit_chain.delay().get() == 3
    assert [a["chain_seq"] for a in _anchors(anchors_file)] == [3]
    schedule = app.conf.beat_schedule["verify-and-anchor-audit-chain"]
    assert schedule == {"task": "accounts.tasks.verify_and_anchor_audit_chain", "schedule": 86400.0}


def test_the_daily_task_logs_a_critical_security_event_on_a_break(anchors_file, caplog):
    _committed_events()
    tasks.verify_and_anchor_audit_chain.delay().get()
    _as_table_owner(("DELETE FROM accounts_auditevent WHERE chain_seq = %s", [3]))
    with caplog.at_level(logging.ERROR, logger="security"):
        assert tasks.verify_and_anchor_audit_chain.delay().get() is None
    [record] = [r for r in caplog.records if r.name == "security"]
    assert record.levelno == logging.CRITICAL and record.event == "audit.chain_broken"
    assert record.getMessage().startswith("audit chain broken: ")
    assert "tail was deleted" in record.getMessage()
    assert len(_anchors(anchors_file)) == 1


def test_unreadable_anchors_fail_loudly(anchors_file):
    anchors_file.write_text("not json\n")
    with pytest.raises(CommandError, match="line 1 is not an anchor"):
        call_command("verify_audit_chain")


def test_a_whole_database_reset_is_not_refused_but_is_reported(capsys):
    """Django's flush (between transactional tests, or by mistake) empties every table in one TRUNCATE."""
    _committed_events()
    audit.verify_and_anchor()
    tables = ", ".join(connection.introspection.django_table_names(only_existing=True, include_views=False))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables}")
    assert AuditEvent.objects.count() == 0
    assert "table truncated" in _verify_fails(capsys)


@pytest.fixture
def s3_anchors(settings, s3_client, moto_endpoint):  # noqa: F811 (fixtures imported above)
    """A bucket with object lock (moto), named in AUDIT_ANCHOR_SINK as settings.py reads it."""
    bucket = f"anchors-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": S3_REGION}, ObjectLockEnabledForBucket=True
    )
    settings.AUDIT_ANCHOR_SINK = f"s3://{bucket}/audit/"
    settings.AUDIT_ANCHOR_S3_CLIENT = {
        "endpoint_url": moto_endpoint,
        "region_name": S3_REGION,
        "aws_access_key_id": S3_KEY,
        "aws_secret_access_key": S3_SECRET,
    }
    settings.AUDIT_ANCHOR_S3_LOCK_MODE, settings.AUDIT_ANCHOR_S3_RETAIN_DAYS = "COMPLIANCE", 1
    return bucket


def test_s3_anchors_are_locked_objects_keyed_by_position(s3_anchors, s3_client, capsys):  # noqa: F811
    events = _committed_events()
    audit.verify_and_anchor()
    _committed_events(1)
    audit.verify_and_anchor()
    keys = [item["Key"] for item in s3_client.list_objects_v2(Bucket=s3_anchors)["Contents"]]
    assert [key[len("audit/") :][:20] for key in keys] == [f"{3:020d}", f"{4:020d}"]
    head = s3_client.head_object(Bucket=s3_anchors, Key=keys[0])
    assert head["ObjectLockMode"] == "COMPLIANCE" and head["ObjectLockRetainUntilDate"]
    with pytest.raises(s3_client.exceptions.ClientError, match="AccessDenied"):
        s3_client.delete_object(Bucket=s3_anchors, Key=keys[0], VersionId=head["VersionId"])
    assert audit.anchor_sink().latest().hash == AuditEvent.objects.get(chain_seq=4).hash != events[-1].hash
    _as_table_owner(("DELETE FROM accounts_auditevent WHERE chain_seq = %s", [4]))
    assert "tail was deleted" in _verify_fails(capsys)
