"""Every change to documents. Keyword-only, one transaction each, audited.

Storage is not transactional, so the order is chosen for the failure cases:
files are written before their row (a failed insert deletes the file again) and
deleted before their row is marked (a crash leaves a row to be retried, never a
row claiming a file is gone while it is still there).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from itertools import islice
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.audit import Actor
from accounts.models import Customer
from outbox import services as outbox

from . import selectors
from .models import Document, DocumentPage, DocumentSet
from .previews import PreviewError, render_pages
from .storage import documents_storage
from .validation import DocumentRejected, ValidatedFile, lazy_interpolate, sanitise_name, validate

logger = logging.getLogger(__name__)

DEFAULT_MAX_DOCUMENTS = 30
DEFAULT_MAX_PAGES_PER_REQUEST = 60

__all__ = [
    "DocumentError",
    "DocumentRejected",
    "DocumentSetLocked",
    "DuplicateDocument",
    "TooManyDocuments",
    "TooManyPages",
    "add_document",
    "close_document_set",
    "create_document_set",
    "make_previews",
    "purge_expired_files",
    "sweep_orphan_files",
    "remove_document",
    "submit_document_set",
]


class DocumentError(Exception):
    """A change refused by the document rules; ``message`` is for the user."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class DocumentSetLocked(DocumentError):
    pass


class TooManyDocuments(DocumentError):
    """The set already holds ``DOCUMENTS_MAX_PER_REQUEST`` documents."""


class TooManyPages(DocumentError):
    """The file would take the active documents of the set past ``DOCUMENTS_MAX_PAGES_PER_REQUEST`` pages."""


class DuplicateDocument(DocumentError):
    """The same content (SHA-256) is already in the set; ``document`` is the copy already there."""

    def __init__(self, message, *, document: Document) -> None:
        super().__init__(message)
        self.document = document


def _user(actor: Actor):
    return actor.user if actor.user is not None and actor.user.pk else None


def _lock_set(document_set: DocumentSet) -> DocumentSet:
    return DocumentSet.objects.select_for_update().get(pk=document_set.pk)


def _object_name(document_set: DocumentSet, extension: str) -> str:
    # Never the customer's file name: it can carry personal data or path tricks.
    return f"sets/{document_set.pk}/{uuid.uuid4().hex}.{extension}"


def _delete_objects(names: list[str]) -> None:
    storage = documents_storage()
    for name in names:
        if name:
            storage.delete(name)


def max_documents() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_PER_REQUEST", DEFAULT_MAX_DOCUMENTS))


def max_pages_per_request() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_PAGES_PER_REQUEST", DEFAULT_MAX_PAGES_PER_REQUEST))


def _check_room(document_set: DocumentSet, *, adding_pages: int = 0) -> None:
    """Room among the set's active documents for one more of ``adding_pages`` pages (0 before the file is parsed: at least one)."""
    active = document_set.documents.filter(removed_at__isnull=True).aggregate(
        documents=Count("pk"), pages=Sum("page_count")
    )
    limit = max_documents()
    if active["documents"] >= limit:
        raise TooManyDocuments(
            lazy_interpolate(_("A request holds at most %(limit)s documents; remove one to add another."), limit=limit)
        )
    page_limit, pages = max_pages_per_request(), active["pages"] or 0
    if pages + max(adding_pages, 1) > page_limit:
        raise TooManyPages(
            lazy_interpolate(
                _(
                    "A request holds at most %(limit)s pages in all and its documents already have %(pages)s; "
                    "remove a document or upload a file with fewer pages."
                ),
                limit=page_limit,
                pages=pages,
            )
        )


def _duplicate(existing: Document) -> DuplicateDocument:
    return DuplicateDocument(_("This file has already been uploaded to this request."), document=existing)


@transaction.atomic
def create_document_set(
    *, reference: str, customer: Customer | None, actor: Actor, reason: str = "", request_ref: str = ""
) -> DocumentSet:
    document_set = DocumentSet.objects.create(reference=reference, customer=customer)
    audit.record(
        actor=actor,
        action="document_set.create",
        target=document_set,
        customer=customer,
        before=None,
        after=document_set.snapshot(),
        reason=reason or "document set created",
        request_ref=request_ref or reference,
    )
    return document_set


def add_document(
    *,
    document_set: DocumentSet,
    uploaded: UploadedFile | BinaryIO | bytes,
    original_name: str,
    actor: Actor,
    request_ref: str = "",
) -> Document:
    """Validate ``uploaded`` and store it in the set under a random object name.

    Raises ``DocumentRejected`` (nothing stored, no row), ``DuplicateDocument``
    when the same content is already in the set (nothing stored; the existing
    document is on the exception), ``TooManyDocuments`` once the set holds
    ``DOCUMENTS_MAX_PER_REQUEST`` documents, ``TooManyPages`` when the file would take
    the set past ``DOCUMENTS_MAX_PAGES_PER_REQUEST`` pages and ``DocumentSetLocked`` once the set
    is submitted or closed. Preview rendering is queued after commit.
    """
    if not document_set.is_open:
        raise DocumentSetLocked(_("Documents can no longer be added to this request."))
    _check_room(document_set)  # before the file is parsed; checked again under the set's lock
    checked, data = validate(uploaded)  # DocumentRejected propagates before anything is written
    existing = selectors.find_duplicate(document_set, checked.sha256)
    if existing is not None:
        raise _duplicate(existing)
    stored = _store(document_set, checked, data)
    try:
        document = _insert(
            document_set=document_set,
            checked=checked,
            name=stored,
            original_name=original_name,
            actor=actor,
            request_ref=request_ref,
        )
    except BaseException:
        _delete_objects([stored])
        raise
    return document


def _store(document_set: DocumentSet, checked: ValidatedFile, data: bytes) -> str:
    """Write the file under a new random name; if writing fails midway (a full or read-only disk), whatever
    was written is deleted before the error propagates."""
    content = ContentFile(data)
    content.content_type = checked.content_type  # S3: sets the object's Content-Type
    storage = documents_storage()
    name = _object_name(document_set, checked.extension)  # random: save() keeps it, nothing else has it
    try:
        return storage.save(name, content)
    except BaseException as exc:
        if not isinstance(exc, _STORE_UNREACHABLE):
            _discard_partial(name)
        raise


# S3 not answering at all: a delete would wait as long again. A PUT that timed out after sending may still
# have been stored; sweep_orphan_files deletes such objects once they are DOCUMENTS_ORPHAN_HOURS old.
try:
    from botocore.exceptions import ConnectionError as _S3ConnectionError
    from botocore.exceptions import HTTPClientError as _S3HTTPClientError

    _STORE_UNREACHABLE: tuple[type[BaseException], ...] = (_S3ConnectionError, _S3HTTPClientError)
except ImportError:  # pragma: no cover - django-storages' S3 backend needs botocore
    _STORE_UNREACHABLE = ()


def _discard_partial(name: str) -> None:
    try:
        documents_storage().delete(name)
    except Exception:
        logger.exception("could not delete the partly written %s; sweep_orphan_files will", name)


@transaction.atomic
def _insert(
    *, document_set: DocumentSet, checked: ValidatedFile, name: str, original_name: str, actor: Actor, request_ref: str
) -> Document:
    locked = _lock_set(document_set)
    if not locked.is_open:
        raise DocumentSetLocked(_("Documents can no longer be added to this request."))
    _check_room(locked, adding_pages=checked.page_count)
    try:  # a copy added since add_document looked is caught by the unique constraint
        with transaction.atomic():
            document = Document.objects.create(
                document_set=locked,
                file=name,
                original_name=sanitise_name(original_name),
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                page_count=checked.page_count,
                uploaded_by=_user(actor),
            )
    except IntegrityError:
        existing = selectors.find_duplicate(locked, checked.sha256)
        if existing is not None:
            raise _duplicate(existing) from None
        raise
    audit.record(
        actor=actor,
        action="document.add",
        target=document,
        customer_id=locked.customer_id,
        before=None,
        after=document.snapshot(),
        reason="document uploaded",
        request_ref=request_ref or locked.reference,
    )
    queue_previews(document)
    return document


def queue_previews(document: Document) -> None:
    """Render ``document``'s previews once the current transaction commits (through the outbox: a broker
    that is down delays them, loses nothing)."""
    outbox.publish("documents.tasks.make_previews_task", args=[document.pk])


@transaction.atomic
def remove_document(*, document: Document, actor: Actor, reason: str = "", request_ref: str = "") -> Document:
    """The customer withdraws a document before submitting: the row stays (marked), the bytes go. Idempotent."""
    locked_set = _lock_set(document.document_set)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.removed_at is not None:
        return document
    if not locked_set.is_open:
        raise DocumentSetLocked(_("Documents can no longer be removed from this request."))
    before = document.snapshot()
    names = [document.file.name, *selectors.pages_of(document).values_list("image", flat=True)]
    now = timezone.now()
    document.removed_at = now
    document.file_deleted_at = now
    document.file = ""
    document.save(update_fields=["removed_at", "file_deleted_at", "file"])
    DocumentPage.objects.filter(document=document).delete()
    audit.record(
        actor=actor,
        action="document.remove",
        target=document,
        customer_id=locked_set.customer_id,
        before=before,
        after=document.snapshot(),
        reason=reason or "removed before submission",
        request_ref=request_ref or locked_set.reference,
    )
    # Only once the removal is committed: a rolled-back removal must still find its file.
    transaction.on_commit(lambda: _delete_objects(names))
    return document


@transaction.atomic
def submit_document_set(*, document_set: DocumentSet, actor: Actor, request_ref: str = "") -> DocumentSet:
    """Freeze the set for review. Idempotent; refuses an empty set or a closed one."""
    locked = _lock_set(document_set)
    if locked.submitted_at is not None:
        return locked
    if locked.closed_at is not None:
        raise DocumentSetLocked(_("This request is closed."))
    if not locked.documents.filter(removed_at__isnull=True).exists():
        raise DocumentError(_("Add at least one document before submitting."))
    before = locked.snapshot()
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["submitted_at"])
    audit.record(
        actor=actor,
        action="document_set.submit",
        target=locked,
        customer_id=locked.customer_id,
        before=before,
        after=locked.snapshot(),
        reason="documents submitted",
        request_ref=request_ref or locked.reference,
    )
    return locked


@transaction.atomic
def reopen_document_set(*, document_set: DocumentSet, actor: Actor, reason: str, request_ref: str = "") -> DocumentSet:
    """Let documents be added again after submission (staff asked for more). Idempotent; refuses a closed set."""
    locked = _lock_set(document_set)
    if locked.closed_at is not None:
        raise DocumentSetLocked(_("This request is closed."))
    if locked.submitted_at is None:
        return locked
    before = locked.snapshot()
    locked.submitted_at = None
    locked.save(update_fields=["submitted_at"])
    audit.record(
        actor=actor,
        action="document_set.reopen",
        target=locked,
        customer_id=locked.customer_id,
        before=before,
        after=locked.snapshot(),
        reason=reason,
        request_ref=request_ref or locked.reference,
    )
    return locked


@transaction.atomic
def close_document_set(
    *, document_set: DocumentSet, actor: Actor, now: datetime | None = None, reason: str = "", request_ref: str = ""
) -> DocumentSet:
    """Mark the set closed because its request closed; the retention period starts now. Idempotent."""
    locked = _lock_set(document_set)
    if locked.closed_at is not None:
        return locked
    before = locked.snapshot()
    locked.closed_at = now or timezone.now()
    locked.save(update_fields=["closed_at"])
    audit.record(
        actor=actor,
        action="document_set.close",
        target=locked,
        customer_id=locked.customer_id,
        before=before,
        after=locked.snapshot(),
        reason=reason or "request closed",
        request_ref=request_ref or locked.reference,
    )
    return locked


def purge_expired_files(*, now: datetime | None = None, days: int | None = None) -> int:
    """Delete the files and previews of sets closed more than ``days`` (DOCUMENTS_RETENTION_DAYS) ago.

    Rows, SHA-256 sums and the audit trail stay. One transaction per set, so a
    failure leaves earlier sets done and the rest for the next run. Returns the
    number of document files deleted; a second run finds nothing to do.
    """
    now = now or timezone.now()
    deleted = 0
    for set_id in list(selectors.sets_due_for_purge(now=now, days=days).values_list("pk", flat=True)):
        deleted += _purge_set(set_id, now=now, days=days)
    return deleted


@transaction.atomic
def _purge_set(set_id: int, *, now: datetime, days: int | None) -> int:
    locked = DocumentSet.objects.select_for_update(skip_locked=True).filter(pk=set_id).first()
    if locked is None or not selectors.sets_due_for_purge(now=now, days=days).filter(pk=set_id).exists():
        return 0  # another run holds it or finished it
    documents = list(Document.objects.select_for_update().filter(document_set=locked).order_by("id"))
    pages = list(DocumentPage.objects.filter(document__document_set=locked))
    purged = [d for d in documents if d.file_deleted_at is None and d.file]
    # Files first: if deleting fails, nothing is marked and the next run retries.
    _delete_objects([d.file.name for d in purged] + [p.image.name for p in pages])
    before = locked.snapshot()
    objects = {d.pk: d.file.name for d in purged}
    for document in purged:
        document.file = ""
        document.file_deleted_at = now
        document.save(update_fields=["file", "file_deleted_at"])
    DocumentPage.objects.filter(pk__in=[p.pk for p in pages]).delete()
    locked.purged_at = now
    locked.save(update_fields=["purged_at"])
    audit.record(
        actor=Actor.system("retention"),
        action="document_set.purge",
        target=locked,
        customer=locked.customer,
        before=before,
        after=locked.snapshot() | {"deleted_objects": objects, "previews_deleted": len(pages)},
        reason=f"retention: closed more than {selectors.retention_days() if days is None else days} days ago",
        request_ref=locked.reference,
    )
    return len(purged)


DEFAULT_ORPHAN_HOURS = 24
_ORPHAN_CHECK_BATCH = 500


def orphan_hours() -> int:
    return int(getattr(settings, "DOCUMENTS_ORPHAN_HOURS", DEFAULT_ORPHAN_HOURS))


def sweep_orphan_files(*, older_than: timedelta | None = None, now: datetime | None = None) -> int:
    """Delete the stored objects under ``sets/`` that no document or preview row names and that are older
    than ``older_than`` (default ``DOCUMENTS_ORPHAN_HOURS`` hours). Returns the number deleted.

    They are what a process killed between writing a file and committing its row leaves, or a delete that
    failed while the storage was down. Younger objects are left alone: their row may not be committed yet.
    Works on any storage with ``listdir`` and ``get_modified_time`` (the local folder, S3); the deletions
    are audited on their document set. Costs two queries per 500 stored objects.
    """
    now = now or timezone.now()
    cutoff = now - (older_than if older_than is not None else timedelta(hours=orphan_hours()))
    storage = documents_storage()
    orphans: dict[int | None, list[str]] = {}
    names = _stored_names(storage, "sets")
    while batch := list(islice(names, _ORPHAN_CHECK_BATCH)):
        named = set(Document.objects.filter(file__in=batch).values_list("file", flat=True))
        named |= set(DocumentPage.objects.filter(image__in=batch).values_list("image", flat=True))
        for name in batch:
            if name not in named and _modified_before(storage, name, cutoff):
                orphans.setdefault(_set_id_of(name), []).append(name)
    for set_id, doomed in orphans.items():
        _delete_objects(doomed)
        _record_orphans_deleted(set_id, doomed, cutoff=cutoff)
    return sum(len(doomed) for doomed in orphans.values())


def _stored_names(storage, folder: str):
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # the local folder before the first upload
        return
    for file in files:
        yield f"{folder}/{file}"
    for directory in directories:
        yield from _stored_names(storage, f"{folder}/{directory}")


def _modified_before(storage, name: str, cutoff: datetime) -> bool:
    try:
        return storage.get_modified_time(name) < cutoff
    except FileNotFoundError:  # deleted since it was listed
        return False


def _set_id_of(name: str) -> int | None:
    part = name.split("/")[1]
    return int(part) if part.isdigit() else None


def _record_orphans_deleted(set_id: int | None, names: list[str], *, cutoff: datetime) -> None:
    logger.warning("deleted %s orphan document object(s) of set %s: %s", len(names), set_id, names)
    with transaction.atomic():
        document_set = DocumentSet.objects.filter(pk=set_id).first() if set_id is not None else None
        if document_set is None:
            return  # no set to hang the audit event on; the log line above is the record
        audit.record(
            actor=Actor.system("orphan sweep"),
            action="document_set.orphans_deleted",
            target=document_set,
            customer_id=document_set.customer_id,
            before=None,
            after={"deleted_objects": names, "count": len(names)},
            reason=f"stored objects no row names, last written before {cutoff.isoformat()}",
            request_ref=document_set.reference,
        )


def make_previews(*, document: Document | int) -> int:
    """Render every page to a PNG on the documents storage; returns the number of pages.

    ``document``: the document or its id (0 pages for a document that is gone). A file
    that cannot be rendered marks ``preview_status`` failed and returns 0. Storage errors
    (reading the file or writing a preview) propagate so the caller can retry; a retry
    starts over and replaces earlier pages.
    """
    document_id = document if isinstance(document, int) else document.pk
    document = Document.objects.filter(pk=document_id).first()
    if document is None or not document.has_file or document.removed_at is not None:
        return 0
    data = selectors.read_file(document)  # transient storage errors propagate
    # Pages are only ever written together with READY: a PENDING or FAILED document has none.
    old = (
        []
        if document.preview_status != Document.PreviewStatus.READY
        else list(DocumentPage.objects.filter(document=document).values_list("pk", "image"))
    )
    storage = documents_storage()
    written: list[tuple[int, str, int, int]] = []
    try:
        for page in render_pages(data, document.content_type):
            name = storage.save(
                f"sets/{document.document_set_id}/previews/{uuid.uuid4().hex}-{page.index}.png", ContentFile(page.png)
            )
            written.append((page.index, name, page.width, page.height))
    except PreviewError as exc:
        _delete_objects([name for _, name, _, _ in written])
        logger.warning("preview of document %s failed: %s", document.pk, exc)
        _set_preview_status(document, Document.PreviewStatus.FAILED)
        return 0
    except BaseException:
        _delete_objects([name for _, name, _, _ in written])
        raise
    try:
        with transaction.atomic():
            # Locks the row as SELECT FOR UPDATE would; no row when the file was purged or removed meanwhile.
            if not (
                Document.objects.filter(pk=document.pk, file_deleted_at__isnull=True)
                .exclude(file="")
                .update(preview_status=Document.PreviewStatus.READY)
            ):
                raise _Stale
            if old:
                DocumentPage.objects.filter(pk__in=[pk for pk, _ in old]).delete()
            DocumentPage.objects.bulk_create(
                DocumentPage(document_id=document.pk, index=index, image=name, width=width, height=height)
                for index, name, width, height in written
            )
    except _Stale:
        _delete_objects([name for _, name, _, _ in written])
        return 0
    except BaseException:
        _delete_objects([name for _, name, _, _ in written])
        raise
    _delete_objects([name for _, name in old])
    return len(written)


class _Stale(Exception):
    pass


def mark_previews_failed(*, document_id: int) -> None:
    document = Document.objects.filter(pk=document_id).first()
    if document is not None:
        _set_preview_status(document, Document.PreviewStatus.FAILED)


def _set_preview_status(document: Document, status: str) -> None:
    Document.objects.filter(pk=document.pk).update(preview_status=status)
    document.preview_status = status
