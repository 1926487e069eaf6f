"""Reads about documents: listings, files, time-limited links, what retention will purge."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import BinaryIO

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .models import Document, DocumentPage, DocumentSet
from .storage import documents_storage, is_s3

MAX_URL_EXPIRE_SECONDS = 300
DEFAULT_RETENTION_DAYS = 365


def retention_days() -> int:
    return int(getattr(settings, "DOCUMENTS_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def url_expire_seconds() -> int:
    return min(int(getattr(settings, "DOCUMENTS_URL_EXPIRE_SECONDS", MAX_URL_EXPIRE_SECONDS)), MAX_URL_EXPIRE_SECONDS)


def documents_of(document_set: DocumentSet, *, include_removed: bool = False) -> QuerySet[Document]:
    """The set's documents, oldest first (metadata only: listing them reveals no content)."""
    rows = (
        Document.objects.filter(document_set=document_set).select_related("uploaded_by").order_by("uploaded_at", "id")
    )
    return rows if include_removed else rows.filter(removed_at__isnull=True)


def document_by_id(document_id: int) -> Document | None:
    return Document.objects.select_related("document_set").filter(pk=document_id).first()


def page_of(document: Document, index: int) -> DocumentPage | None:
    return DocumentPage.objects.filter(document=document, index=index).first()


def pages_of(document: Document) -> QuerySet[DocumentPage]:
    return DocumentPage.objects.filter(document=document).order_by("index")


def find_duplicate(document_set: DocumentSet, sha256: str) -> Document | None:
    return Document.objects.filter(document_set=document_set, sha256=sha256, removed_at__isnull=True).first()


def open_file(name: str) -> BinaryIO:
    """Open a stored object (document or preview) for reading."""
    return documents_storage().open(name, "rb")


def read_file(document: Document) -> bytes:
    with open_file(document.file.name) as handle:
        return handle.read()


def presigned_url(name: str, *, expires: int | None, content_type: str, disposition: str) -> str | None:
    """A short-lived S3 URL for a private file (None on local storage: the caller streams it)."""
    storage = documents_storage()
    if not name or not is_s3(storage):
        return None
    seconds = url_expire_seconds() if expires is None else max(1, min(int(expires), MAX_URL_EXPIRE_SECONDS))
    parameters = {
        "ResponseContentType": content_type,
        "ResponseContentDisposition": disposition,
        "ResponseCacheControl": "private, no-store",
    }
    return storage.url(name, parameters=parameters, expire=seconds)


def content_disposition(kind: str, filename: str) -> str:
    from django.utils.http import content_disposition_header

    return content_disposition_header(kind == "attachment", filename)


def download_url(document: Document, *, expires: int | None = None) -> str | None:
    """A presigned GET URL (at most 5 minutes) on S3; None on local storage, where the view streams the file.

    The caller must have checked permission (``documents.views.may_read``) first.
    """
    if not document.has_file:
        return None
    return presigned_url(
        document.file.name,
        expires=expires,
        content_type=document.content_type,
        disposition=content_disposition("attachment", document.download_name),
    )


def preview_url(page: DocumentPage, *, expires: int | None = None) -> str | None:
    return presigned_url(
        page.image.name,
        expires=expires,
        content_type="image/png",
        disposition=content_disposition("inline", f"page-{page.index + 1}.png"),
    )


def sets_due_for_purge(*, now: datetime | None = None, days: int | None = None) -> QuerySet[DocumentSet]:
    """Sets closed more than the retention period ago whose files are not purged yet."""
    now = now or timezone.now()
    days = retention_days() if days is None else days
    return DocumentSet.objects.filter(
        closed_at__isnull=False, closed_at__lt=now - timedelta(days=days), purged_at__isnull=True
    ).order_by("closed_at", "id")
