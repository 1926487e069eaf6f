"""Uploaded supporting documents (powers of attorney, deeds, mandates, ids) and their page previews.

Files live on the private "documents" storage under random object names. Rows
outlive their files: retention deletes the bytes and keeps the row, its
SHA-256 and the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import documents_storage
from .validation import download_name


class DocumentSet(models.Model):
    """The bundle of uploads backing one request (change of representative, external manager...)."""

    reference = models.CharField(max_length=60, db_index=True)
    customer = models.ForeignKey(
        "accounts.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="document_sets"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Set when the request closes; retention counts from here.
    closed_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["closed_at"],
                condition=Q(closed_at__isnull=False, purged_at__isnull=True),
                name="document_sets_due_for_purge",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        """Documents may still be added or removed."""
        return self.submitted_at is None and self.closed_at is None

    def snapshot(self) -> dict:
        return {
            "reference": self.reference,
            "customer": self.customer_id,
            "submitted_at": self.submitted_at,
            "closed_at": self.closed_at,
            "purged_at": self.purged_at,
        }


class Document(models.Model):
    class PreviewStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    document_set = models.ForeignKey(DocumentSet, on_delete=models.PROTECT, related_name="documents")
    # Random object name (sets/<set>/<uuid>.<ext>); emptied when retention deletes the file.
    file = models.FileField(storage=documents_storage, max_length=255, blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    page_count = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    file_deleted_at = models.DateTimeField(null=True, blank=True)
    preview_status = models.CharField(max_length=10, choices=PreviewStatus.choices, default=PreviewStatus.PENDING)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document_set", "sha256"],
                condition=Q(removed_at__isnull=True),
                name="one_active_copy_per_document_set",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return self.file.name.rpartition(".")[2] if self.file and "." in self.file.name else ""

    @property
    def download_name(self) -> str:
        """The customer's name, forced to end in the extension the content was recognised as."""
        from .validation import EXTENSIONS

        return download_name(self.original_name, EXTENSIONS.get(self.content_type, self.extension or "bin"))

    @property
    def has_file(self) -> bool:
        return bool(self.file) and self.file_deleted_at is None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def snapshot(self) -> dict:
        return {
            "document_set": self.document_set_id,
            "object": self.file.name or None,
            "original_name": self.original_name,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
            "page_count": self.page_count,
            "removed_at": self.removed_at,
            "file_deleted_at": self.file_deleted_at,
        }


class DocumentPage(models.Model):
    """A PNG preview of one page (0-based ``index``), on the same private storage."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    index = models.PositiveIntegerField()
    image = models.FileField(storage=documents_storage, max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["document", "index"]
        constraints = [models.UniqueConstraint(fields=["document", "index"], name="one_preview_per_page")]

    def __str__(self) -> str:
        return f"Document #{self.document_id}, page {self.index + 1}"


class Precheck(models.Model):
    """One OCR pre-check run over a document set: its progress, and the engine's result when done.

    It never decides anything: the result ranks, pre-fills and points at evidence for a person.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    document_set = models.ForeignKey(DocumentSet, on_delete=models.PROTECT, related_name="prechecks")
    claim = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    # Pages of the wave in flight; the task that finishes the last one starts the next step.
    wave_pending = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    verdict = models.CharField(max_length=20, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return (
            f"Pre-check #{self.pk} of document set #{self.document_set_id}: {self.status} ({self.created_at:%Y-%m-%d})"
        )

    @property
    def progress(self) -> tuple[int, int]:
        return self.pages_done, self.pages_total


class PrecheckPage(models.Model):
    """One page read by the engine (text layer or OCR), kept so the join can assess all pages together."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        QUEUED = "queued", _("Queued")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    precheck = models.ForeignKey(Precheck, on_delete=models.CASCADE, related_name="pages")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    index = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)  # a worker began reading it
    attempts = models.PositiveSmallIntegerField(default=0)  # times queued: a page lost with its worker is queued again
    text = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["document_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["precheck", "document", "index"], name="one_row_per_precheck_page")
        ]

    def __str__(self) -> str:
        return f"Pre-check #{self.precheck_id}, document #{self.document_id}, page {self.index + 1}: {self.status}"
