"""Celery adapters around ``documents.services``."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from faults import is_transient

from . import services

logger = logging.getLogger(__name__)

# Storage, database and broker faults propagate from these tasks: the tasks' base class
# (backoffice.celery.ReliableTask) retries them with back-off. Only the work's own errors are recorded.


@shared_task(acks_late=True)
def make_previews_task(document_id: int) -> int:
    """Render previews; a file that cannot be rendered is marked failed (by the service or here)."""
    try:
        return services.make_previews(document=document_id)
    except Exception as exc:
        if is_transient(exc):
            raise
        logger.exception("previews of document %s failed", document_id)
        services.mark_previews_failed(document_id=document_id)
        return 0


@shared_task
def purge_expired_documents_task() -> int:
    """Celery beat: delete files of sets past retention (rows and audit stay)."""
    return services.purge_expired_files()


# -- the OCR pre-check (see documents.prechecks for the stages) -------------------------------


@shared_task(acks_late=True)
def plan_precheck_task(precheck_id: int) -> None:
    from . import prechecks

    try:
        prechecks.plan(precheck_id=precheck_id)
    except Exception as exc:
        if is_transient(exc):
            raise
        logger.exception("pre-check %s could not be planned", precheck_id)
        prechecks.fail(precheck_id=precheck_id, error=f"planning failed: {exc!r}")


_PAGE_LIMIT = int(getattr(settings, "OCR_PAGE_TIMEOUT_SECONDS", 60))


def _page_poisoned(task, args, kwargs) -> None:
    from . import prechecks

    prechecks.page_failed(page_id=args[0], error="reading this page stopped its worker every time")


# A page that hangs the renderer is cut off: soft limit first (recorded on the page), then a hard kill.
@shared_task(acks_late=True, soft_time_limit=_PAGE_LIMIT + 30, time_limit=_PAGE_LIMIT + 60, poisoned=_page_poisoned)
def read_page_task(page_id: int) -> None:
    """One page of one document; the engine never raises for a bad page."""
    from . import prechecks
    from .models import PrecheckPage

    try:
        prechecks.read_page(page_id=page_id)
    except Exception as exc:
        if is_transient(exc):
            raise
        logger.exception("pre-check page %s failed", page_id)
        page = PrecheckPage.objects.filter(pk=page_id).first()
        if page is not None:
            prechecks.fail(precheck_id=page.precheck_id, error=f"page {page.index + 1} failed: {exc!r}")


@shared_task
def sweep_stale_precheck_pages_task() -> int:
    """Celery beat: pages whose task was lost are queued again (or, after several tries, recorded as failed)."""
    from . import prechecks

    return prechecks.sweep_stale_pages()


@shared_task
def sweep_orphan_files_task() -> int:
    """Celery beat: stored objects that no row names, older than DOCUMENTS_ORPHAN_HOURS, are deleted."""
    return services.sweep_orphan_files()
