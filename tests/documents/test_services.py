import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.models import AuditEvent
from documents import selectors, services
from documents.models import Document

from . import samples


def _add(document_set, actor, data=None, name="Poder notarial.pdf"):
    data = samples.pdf() if data is None else data
    return services.add_document(
        document_set=document_set, uploaded=SimpleUploadedFile(name, data), original_name=name, actor=actor
    )


def test_add_document_stores_under_a_random_name(document_set, actor, stored_local):
    data = samples.pdf(2)
    document = _add(document_set, actor, data, name="../../DNI Joan Garcia 12345678Z.pdf")
    assert re.fullmatch(rf"sets/{document_set.pk}/[0-9a-f]{{32}}\.pdf", document.file.name)
    assert stored_local() == [document.file.name]
    assert "Joan" not in document.file.name
    assert document.original_name == "DNI Joan Garcia 12345678Z.pdf"
    assert (document.sha256, document.size, document.page_count, document.content_type) == (
        hashlib.sha256(data).hexdigest(),
        len(data),
        2,
        "application/pdf",
    )
    assert document.preview_status == "pending"
    assert selectors.read_file(document) == data
    event = AuditEvent.objects.get(action="document.add")
    assert (event.target_type, event.target_id, event.customer_id) == (
        "document",
        str(document.pk),
        document_set.customer_id,
    )
    assert event.after["sha256"] == document.sha256


def test_same_file_twice_in_one_set_is_a_duplicate(document_set, actor, stored_local):
    first = _add(document_set, actor)
    with pytest.raises(services.DuplicateDocument) as caught:
        _add(document_set, actor, name="copy.pdf")
    assert caught.value.document == first
    with translation.override("en"):
        assert str(caught.value.message) == "This file has already been uploaded to this request."
    assert Document.objects.count() == 1
    assert stored_local() == [first.file.name]


def test_a_copy_added_meanwhile_is_a_duplicate_and_its_file_is_not_kept(document_set, actor, stored_local, monkeypatch):
    """The same file arriving twice at once: the early look finds nothing, the unique constraint catches it."""
    first = _add(document_set, actor)
    monkeypatch.setattr(services.selectors, "find_duplicate", _none_first_time(services.selectors.find_duplicate))
    with pytest.raises(services.DuplicateDocument) as caught:
        _add(document_set, actor, name="copy.pdf")
    assert caught.value.document == first
    assert Document.objects.count() == 1
    assert stored_local() == [first.file.name]  # the second copy's object was deleted again
    assert AuditEvent.objects.filter(action="document.add").count() == 1


def _none_first_time(find):
    calls = []

    def find_duplicate(*args, **kwargs):
        calls.append(1)
        return None if len(calls) == 1 else find(*args, **kwargs)

    return find_duplicate


def test_same_file_in_another_set_is_fine(document_set, actor):
    other = services.create_document_set(reference="REQ-2", customer=document_set.customer, actor=actor)
    assert _add(document_set, actor).sha256 == _add(other, actor).sha256


def test_removed_file_can_be_uploaded_again(document_set, actor, stored_local, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _add(document_set, actor)
        services.remove_document(document=first, actor=actor)
    first.refresh_from_db()
    assert first.removed_at and first.file_deleted_at and not first.file
    assert stored_local() == []
    again = _add(document_set, actor)
    assert again.pk != first.pk
    assert [d.pk for d in selectors.documents_of(document_set)] == [again.pk]
    assert AuditEvent.objects.filter(action="document.remove", target_id=str(first.pk)).count() == 1


def test_remove_is_idempotent(document_set, actor):
    document = _add(document_set, actor)
    services.remove_document(document=document, actor=actor)
    services.remove_document(document=document, actor=actor)
    assert AuditEvent.objects.filter(action="document.remove").count() == 1


def test_submitted_set_is_frozen(document_set, actor):
    document = _add(document_set, actor)
    services.submit_document_set(document_set=document_set, actor=actor)
    services.submit_document_set(document_set=document_set, actor=actor)  # idempotent
    document_set.refresh_from_db()
    assert document_set.submitted_at is not None
    with pytest.raises(services.DocumentSetLocked):
        services.remove_document(document=document, actor=actor)
    with pytest.raises(services.DocumentSetLocked):
        _add(document_set, actor, samples.png())
    assert AuditEvent.objects.filter(action="document_set.submit").count() == 1


def test_empty_set_cannot_be_submitted(document_set, actor):
    with pytest.raises(services.DocumentError):
        services.submit_document_set(document_set=document_set, actor=actor)


def test_close_is_idempotent_and_audited(document_set, actor):
    closed = services.close_document_set(document_set=document_set, actor=actor)
    again = services.close_document_set(document_set=document_set, actor=actor)
    assert closed.closed_at == again.closed_at
    assert AuditEvent.objects.filter(action="document_set.close").count() == 1
    assert AuditEvent.objects.filter(action="document_set.create", target_id=str(document_set.pk)).count() == 1


def test_failed_insert_removes_the_stored_file(document_set, actor, stored_local, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.audit, "record", boom)
    with pytest.raises(RuntimeError):
        _add(document_set, actor)
    assert stored_local() == []
    assert Document.objects.count() == 0


def test_upload_queues_previews_after_commit(document_set, actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = _add(document_set, actor, samples.pdf(2))
    document.refresh_from_db()
    assert document.preview_status == "ready"
    assert document.pages.count() == 2


def test_local_files_are_private_to_the_process_owner(document_set, actor, documents_root):
    document = _add(document_set, actor)
    assert (documents_root / document.file.name).stat().st_mode & 0o077 == 0
