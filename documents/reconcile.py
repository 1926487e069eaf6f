"""Reconciliation of the documents' background work (called by ``outbox.tasks.reconcile`` on beat).

Finds the steps that should have happened ``RECONCILE_AFTER_SECONDS`` ago and did not -- their message
was lost with a broker or a worker -- and drives them again, audited. Each step is idempotent, so a
re-driven step whose first message turns up after all does nothing twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts import audit
from accounts.audit import Actor
from outbox import services as outbox

from . import prechecks, services
from .models import Document, Precheck

logger = logging.getLogger(__name__)

RECONCILER = Actor.system("reconciler")


def redrive() -> int:
    """Previews never rendered, pre-checks never planned or stalled between waves; returns how many re-driven."""
    window = timedelta(seconds=settings.RECONCILE_AFTER_SECONDS)
    cutoff = timezone.now() - window
    count = 0
    pending = Document.objects.filter(
        preview_status=Document.PreviewStatus.PENDING,
        uploaded_at__lt=cutoff,
        removed_at__isnull=True,
        file_deleted_at__isnull=True,
    ).select_related("document_set")[:200]
    for document in pending:
        if outbox.recently_published("documents.tasks.make_previews_task", args=[document.pk], within=window):
            continue
        services.queue_previews(document)
        _audit(document, document.document_set, "previews not rendered")
        count += 1
    for precheck in Precheck.objects.filter(status=Precheck.Status.QUEUED, created_at__lt=cutoff).select_related(
        "document_set"
    )[:200]:
        if outbox.recently_published("documents.tasks.plan_precheck_task", args=[precheck.pk], within=window):
            continue
        outbox.publish("documents.tasks.plan_precheck_task", args=[precheck.pk])
        _audit(precheck, precheck.document_set, "pre-check never planned")
        count += 1
    stalled = Precheck.objects.filter(
        status=Precheck.Status.RUNNING, wave_pending=0, created_at__lt=cutoff
    ).select_related("document_set")[:200]
    for precheck in stalled:
        prechecks.wave_done(precheck_id=precheck.pk)  # next wave, or finish: whichever was lost
        _audit(precheck, precheck.document_set, "pre-check stalled between waves")
        count += 1
    return count


def _audit(target, document_set, what: str) -> None:
    logger.warning("reconciliation: %s (%s %s)", what, type(target).__name__, target.pk)
    audit.record(
        actor=RECONCILER,
        action="reconcile.redrive",
        target=target,
        customer_id=document_set.customer_id,
        before=None,
        after={"step": what},
        reason=f"re-driven: {what}",
        request_ref=document_set.reference,
    )
