"""sweep_orphan_files: stored objects no row names are deleted once old enough, on the local folder and on S3 (moto)."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AuditEvent
from documents import services
from documents.storage import documents_storage

from . import samples

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["local", "s3"])
def stored(request):
    """What is on the documents storage, for each backend (the s3 variant switches STORAGES["documents"] to moto)."""
    return request.getfixturevalue("stored_s3" if request.param == "s3" else "stored_local")


@pytest.fixture
def kept_and_orphans(stored, document_set, actor):
    """A document with its previews (named by rows), and two objects no row names: one in the set, one in a set that does not exist."""
    document = services.add_document(
        document_set=document_set,
        uploaded=SimpleUploadedFile("a.png", samples.png()),
        original_name="a.png",
        actor=actor,
    )
    services.make_previews(document=document)
    storage = documents_storage()
    orphans = [
        storage.save(f"sets/{document_set.pk}/{'0' * 32}.pdf", ContentFile(samples.pdf())),
        storage.save("sets/999999/previews/lost-0.png", ContentFile(samples.png())),
    ]
    kept = [name for name in stored() if name not in orphans]
    assert len(kept) == 2  # the file and its one preview
    return kept, orphans


def test_old_orphans_are_deleted_and_named_files_kept(stored, kept_and_orphans, document_set):
    kept, _ = kept_and_orphans
    assert services.sweep_orphan_files(now=timezone.now() + timedelta(hours=25)) == 2
    assert stored() == kept
    event = AuditEvent.objects.get(action="document_set.orphans_deleted")
    assert event.target_id == str(document_set.pk) and event.after["count"] == 1


def test_young_orphans_are_left_for_their_row(stored, kept_and_orphans):
    kept, orphans = kept_and_orphans
    assert services.sweep_orphan_files() == 0
    assert services.sweep_orphan_files(now=timezone.now() + timedelta(hours=25), older_than=timedelta(hours=48)) == 0
    assert stored() == sorted(kept + orphans)


def test_a_second_sweep_finds_nothing(kept_and_orphans):
    later = timezone.now() + timedelta(hours=25)
    assert services.sweep_orphan_files(now=later) == 2
    assert services.sweep_orphan_files(now=later) == 0


def test_an_empty_storage_is_nothing_to_do(stored):
    assert services.sweep_orphan_files(now=timezone.now() + timedelta(days=2)) == 0


def test_the_beat_task_runs_the_sweep(kept_and_orphans, settings):
    from backoffice.celery import app
    from documents.tasks import sweep_orphan_files_task

    settings.DOCUMENTS_ORPHAN_HOURS = 0
    assert any(entry["task"] == "documents.tasks.sweep_orphan_files_task" for entry in app.conf.beat_schedule.values())
    assert sweep_orphan_files_task() == 2
