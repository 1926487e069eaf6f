from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.audit import verify_chain
from accounts.models import AuditEvent
from documents import services, tasks
from documents.models import Document, DocumentPage, DocumentSet

from . import samples


def _set_with_files(actor, customer, reference, *, closed_days_ago=None):
    document_set = services.create_document_set(reference=reference, customer=customer, actor=actor)
    for data, name in ((samples.pdf(2), "poder.pdf"), (samples.jpeg(), "dni.jpg")):
        document = services.add_document(document_set=document_set, uploaded=data, original_name=name, actor=actor)
        services.make_previews(document=document)
    if closed_days_ago is not None:
        services.close_document_set(
            document_set=document_set, actor=actor, now=timezone.now() - timedelta(days=closed_days_ago)
        )
    return document_set


@pytest.fixture
def three_sets(db, actor):
    from tests import factories

    customer = factories.customer()
    return {
        "old": _set_with_files(actor, customer, "OLD", closed_days_ago=400),
        "recent": _set_with_files(actor, customer, "RECENT", closed_days_ago=30),
        "open": _set_with_files(actor, customer, "OPEN"),
    }


def _objects(document_set):
    names = [d.file.name for d in document_set.documents.all()]
    names += [p.image.name for p in DocumentPage.objects.filter(document__document_set=document_set)]
    return names


def test_old_set_files_are_purged_rows_and_audit_stay(three_sets, documents_root):
    old = three_sets["old"]
    old_objects = _objects(old)
    assert len(old_objects) == 5 and all((documents_root / n).exists() for n in old_objects)
    hashes = sorted(old.documents.values_list("sha256", flat=True))
    events = AuditEvent.objects.count()
    kept = {key: _objects(s) for key, s in three_sets.items() if key != "old"}

    assert services.purge_expired_files() == 2

    assert not any((documents_root / n).exists() for n in old_objects)
    assert sorted(old.documents.values_list("sha256", flat=True)) == hashes
    for document in old.documents.all():
        assert document.file_deleted_at is not None and not document.file and document.removed_at is None
    assert not DocumentPage.objects.filter(document__document_set=old).exists()
    old.refresh_from_db()
    assert old.purged_at is not None
    for key, names in kept.items():
        assert names and all((documents_root / n).exists() for n in names), key
        assert DocumentSet.objects.get(pk=three_sets[key].pk).purged_at is None
    purge = AuditEvent.objects.get(action="document_set.purge")
    assert purge.target_id == str(old.pk) and len(purge.after["deleted_objects"]) == 2
    assert AuditEvent.objects.count() == events + 1
    assert (
        AuditEvent.objects.filter(action="document.add", target_id__in=[str(d.pk) for d in old.documents.all()]).count()
        == 2
    )
    assert list(verify_chain()) == []


def test_purge_twice_is_a_no_op(three_sets):
    assert services.purge_expired_files() == 2
    events = AuditEvent.objects.count()
    assert services.purge_expired_files() == 0
    assert AuditEvent.objects.count() == events


def test_days_override_and_now(three_sets):
    assert services.purge_expired_files(days=10) == 4
    assert services.purge_expired_files(now=timezone.now() + timedelta(days=3650)) == 0  # open set stays open
    assert DocumentSet.objects.get(pk=three_sets["open"].pk).purged_at is None


def test_retention_setting(settings, three_sets):
    settings.DOCUMENTS_RETENTION_DAYS = 500
    assert services.purge_expired_files() == 0


def test_missing_object_does_not_block_the_purge(three_sets, documents_root):
    old = three_sets["old"]
    (documents_root / old.documents.first().file.name).unlink()
    assert services.purge_expired_files() == 2


def test_beat_task(three_sets):
    assert tasks.purge_expired_documents_task.delay().get() == 2


def test_command_dry_run_then_real(three_sets, documents_root):
    out = StringIO()
    call_command("purge_documents", "--dry-run", stdout=out)
    assert "2 file(s) in 1 set(s) would be deleted" in out.getvalue()
    assert Document.objects.filter(file_deleted_at__isnull=False).count() == 0
    out = StringIO()
    call_command("purge_documents", "--days", "10", stdout=out)
    assert "purged 4 file(s)" in out.getvalue()
