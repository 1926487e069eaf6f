"""Celery adapters around ``documents.services``."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from . import services

logger = logging.getLogger(__name__)

# Worth retrying: storage / network / database hiccups. A bad file is not
# (services.make_previews marks it failed itself).
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OSError, DatabaseError)
try:
    from botocore.exceptions import BotoCoreError, ClientError

    TRANSIENT_ERRORS += (BotoCoreError, ClientError)
except ImportError:  # pragma: no cover
    pass

PREVIEW_MAX_RETRIES = 5


@shared_task(bind=True, max_retries=PREVIEW_MAX_RETRIES, acks_late=True)
def make_previews_task(self, document_id: int) -> int:
    """Render previews; retried with backoff on transient errors, never raises for a bad file."""
    try:
        return services.make_previews(document=document_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            logger.error("previews of document %s failed after %s retries: %r", document_id, self.request.retries, exc)
            services.mark_previews_failed(document_id=document_id)
            return 0
        raise self.retry(exc=exc, countdown=min(600, 10 * 2 ** self.request.retries))
    except Exception:
        logger.exception("previews of document %s failed", document_id)
        services.mark_previews_failed(document_id=document_id)
        return 0


@shared_task
def purge_expired_documents_task() -> int:
    """Celery beat: delete files of sets past retention (rows and audit stay)."""
    return services.purge_expired_files()


# -- the OCR pre-check (see documents.prechecks for the stages) -------------------------------

@shared_task(bind=True, max_retries=5, acks_late=True)
def plan_precheck_task(self, precheck_id: int) -> None:
    from . import prechecks

    try:
        prechecks.plan(precheck_id=precheck_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            prechecks.fail(precheck_id=precheck_id, error=f"planning failed: {exc!r}")
            return
        raise self.retry(exc=exc, countdown=min(300, 5 * 2 ** self.request.retries))
    except Exception as exc:
        logger.exception("pre-check %s could not be planned", precheck_id)
        prechecks.fail(precheck_id=precheck_id, error=f"planning failed: {exc!r}")


_PAGE_LIMIT = int(getattr(settings, "OCR_PAGE_TIMEOUT_SECONDS", 60))


# A page that hangs the renderer is cut off: soft limit first (recorded on the page), then a hard kill.
@shared_task(bind=True, max_retries=5, acks_late=True, soft_time_limit=_PAGE_LIMIT + 30, time_limit=_PAGE_LIMIT + 60)
def read_page_task(self, page_id: int) -> None:
    """One page of one document; the engine never raises for a bad page, storage trouble is retried."""
    from . import prechecks
    from .models import PrecheckPage

    try:
        prechecks.read_page(page_id=page_id)
    except DatabaseError as exc:
        raise self.retry(exc=exc, countdown=min(300, 5 * 2 ** self.request.retries))
    except Exception as exc:
        logger.exception("pre-check page %s failed", page_id)
        page = PrecheckPage.objects.filter(pk=page_id).first()
        if page is not None:
            prechecks.fail(precheck_id=page.precheck_id, error=f"page {page.index + 1} failed: {exc!r}")


@shared_task
def sweep_stale_precheck_pages_task() -> int:
    """Celery beat: pages whose task was lost are recorded as failed so their pre-check finishes."""
    from . import prechecks

    return prechecks.sweep_stale_pages()
