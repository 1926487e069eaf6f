"""The OCR pre-check of a document set, run as Celery tasks: one task per page, in waves, joined in the database.

Stages, each visible to the UI through ``Precheck.status`` and ``pages_done/pages_total``:

1. ``start_precheck`` (in the caller's transaction) records the claim and queues ``plan`` --
   or, asked to, plans and reads the text-layer pages at once (see its docstring);
2. ``plan`` counts each document's pages and queues the first wave;
3. ``read_page`` reads one page (text layer or OCR) and stores its text; the task that
   finishes a wave's last page calls ``wave_done``;
4. ``wave_done`` stops early when the pages read so far already hold every fact the claim
   needs, else queues the next wave; at the end ``finish`` assesses all pages and stores
   the result.

The join lives in the database (a counter under a row lock), so it needs no Celery result
backend and survives a worker restart. The engine itself (``ocr``) knows nothing of this.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone

import ocr
from accounts import audit
from accounts.audit import Actor
from faults import is_transient
from outbox import services as outbox

from .models import DocumentSet, Precheck, PrecheckPage

logger = logging.getLogger(__name__)

# Sent INSIDE the transaction that gives a pre-check its result (or records its failure): ``precheck`` is
# the row. Receivers only write rows (an outbox message, say), so the hand-off commits with the result.
precheck_finished = Signal()


def wave_size() -> int:
    return max(1, int(getattr(settings, "OCR_PAGES_PER_WAVE", 2)))


def _documents(document_set: DocumentSet):
    return document_set.documents.filter(removed_at__isnull=True, file_deleted_at__isnull=True).order_by("id")


def start_precheck(
    *, document_set: DocumentSet, claim: ocr.Claim, actor: Actor, read_text_now: bool = False
) -> Precheck:
    """Record a pre-check of the set's current documents, in the caller's transaction.

    By default everything runs in the Celery tasks queued after commit. With ``read_text_now``
    the pages are planned and every page that has a text layer is read right here, in order,
    wave by wave: a set of text-layer PDFs is then assessed before this returns (status DONE,
    no task queued, no signal -- the caller carries on). The first page that needs OCR stops
    the reading; the rest goes to the Celery tasks after commit. The rows are written once,
    after the reading, with what it found (a storage error while reading writes nothing).
    """
    with transaction.atomic():
        precheck = Precheck(document_set=document_set, claim=asdict(claim))
        rows, finished = None, False
        if read_text_now:
            rows = _page_rows(precheck)
            precheck.pages_total, precheck.status = len(rows), Precheck.Status.RUNNING
            finished = _read_text_layers(precheck, rows)
            if finished:
                _assess(precheck, rows)
        precheck.save()
        audit.record(
            actor=actor,
            action="precheck.start",
            target=precheck,
            customer_id=document_set.customer_id,
            before=None,
            after={"document_set": document_set.pk, "claim": precheck.claim},
            reason="documents submitted",
            request_ref=document_set.reference,
        )
        if rows:
            PrecheckPage.objects.bulk_create(rows)
        if finished:
            _audit_conclusion(precheck)
            return precheck
        outbox.publish("documents.tasks.plan_precheck_task", args=[precheck.pk])
    return precheck


def _page_rows(precheck: Precheck) -> list[PrecheckPage]:
    """A row per page of each document (the page count was established when the upload was validated), unsaved."""
    rows = []
    for document in _documents(precheck.document_set):
        rows += [PrecheckPage(precheck=precheck, document=document, index=i) for i in range(document.page_count)]
    return rows


def _plan(precheck: Precheck) -> None:
    rows = _page_rows(precheck)
    PrecheckPage.objects.bulk_create(rows)
    precheck.pages_total = len(rows)
    precheck.status = Precheck.Status.RUNNING
    precheck.save(update_fields=["pages_total", "status"])


def plan(*, precheck_id: int) -> None:
    """Plan the pages if not done yet, then queue the next wave (a redelivered message changes nothing)."""
    with transaction.atomic():
        precheck = Precheck.objects.select_for_update().get(pk=precheck_id)
        if precheck.status == Precheck.Status.QUEUED:
            _plan(precheck)
        elif precheck.status != Precheck.Status.RUNNING:
            return
    _next_wave(precheck_id)


def _waves(pending: list[tuple[int, int]]) -> list[list[int]]:
    """Page ids (given as (id, document id) in reading order) grouped in waves: round-robin over documents."""
    by_document: dict[int, list[int]] = {}
    for page_id, document_id in pending:
        by_document.setdefault(document_id, []).append(page_id)
    waves: list[list[int]] = []
    while any(by_document.values()):
        wave: list[int] = []
        while len(wave) < wave_size() and any(by_document.values()):
            for ids in by_document.values():
                if ids and len(wave) < wave_size():
                    wave.append(ids.pop(0))
        waves.append(wave)
    return waves


def _read_text_layers(precheck: Precheck, rows: list[PrecheckPage]) -> bool:
    """Read the planned pages that carry a text layer now, into the unsaved ``rows`` (see
    ``start_precheck``); True when every page needed was read."""
    if any(row.document.content_type != "application/pdf" for row in rows):
        return False  # images always need OCR: all of it goes to the OCR queue
    data: dict[int, bytes] = {}
    timeout = float(getattr(settings, "OCR_PAGE_TIMEOUT_SECONDS", 60))
    claim, read = _claim(precheck), []
    waves = _waves([(number, row.document_id) for number, row in enumerate(rows)])
    for number, wave in enumerate(waves):
        for position in wave:
            row = rows[position]
            if row.document_id not in data:
                with row.document.file.open("rb") as handle:
                    data[row.document_id] = handle.read()
            text = ocr.read_page(data[row.document_id], row.index, page_timeout=timeout, text_layer_only=True)
            if text is None:  # this page needs OCR: it and the rest are read by the tasks
                return False
            _fill_text(row, text)
            precheck.pages_done += 1
            read.append(text)
        later = [position for wave in waves[number + 1 :] for position in wave]
        if later and ocr.is_satisfied(read, claim):
            for position in later:
                rows[position].status = PrecheckPage.Status.SKIPPED
            break
    return True


def _fill_text(page: PrecheckPage, text: ocr.PageText) -> None:
    page.text = text.to_dict()
    page.seconds = text.seconds
    page.status = PrecheckPage.Status.FAILED if text.source == "error" else PrecheckPage.Status.DONE
    page.error = (text.error or "")[:300]


def _store_text(page: PrecheckPage, text: ocr.PageText) -> None:
    _fill_text(page, text)
    page.save(update_fields=["text", "seconds", "status", "error"])


def _pick_wave(precheck: Precheck) -> list[int]:
    """Page rows to read next: for each document its next pages in order, round-robin, up to the wave size."""
    pending = list(
        precheck.pages.filter(status=PrecheckPage.Status.PENDING)
        .order_by("document_id", "index")
        .values_list("id", "document_id")
    )
    waves = _waves(pending)
    return waves[0] if waves else []


def _next_wave(precheck_id: int) -> None:
    with transaction.atomic():
        precheck = Precheck.objects.select_for_update().get(pk=precheck_id)
        if precheck.status != Precheck.Status.RUNNING or precheck.wave_pending:
            return  # finished, or a wave is still being read (a redelivered message)
        wave = _pick_wave(precheck)
        if not wave:
            finish_now = True
        else:
            finish_now = False
            PrecheckPage.objects.filter(pk__in=wave).update(
                status=PrecheckPage.Status.QUEUED, queued_at=timezone.now(), started_at=None, attempts=F("attempts") + 1
            )
            precheck.wave_pending = len(wave)
            precheck.save(update_fields=["wave_pending"])
            _queue_pages(wave)
    if finish_now:
        finish(precheck_id=precheck_id)


def _queue_pages(page_ids: list[int]) -> None:
    for page_id in page_ids:
        outbox.publish("documents.tasks.read_page_task", args=[page_id])


def read_page(*, page_id: int) -> None:
    """Read one page and store its text. A bad file is recorded on the page; a storage or database fault
    propagates (the task retries it): it says nothing about the page."""
    page = PrecheckPage.objects.select_related("document").get(pk=page_id)
    if page.status != PrecheckPage.Status.QUEUED:
        return
    PrecheckPage.objects.filter(pk=page_id, status=PrecheckPage.Status.QUEUED).update(started_at=timezone.now())
    try:
        with page.document.file.open("rb") as handle:
            data = handle.read()
        text = ocr.read_page(data, page.index, page_timeout=float(getattr(settings, "OCR_PAGE_TIMEOUT_SECONDS", 60)))
    except Exception as error:  # the soft time limit, or a file that is gone: recorded, the worker lives on
        if is_transient(error):
            raise
        logger.exception("reading page %s of document %s failed", page.index, page.document_id)
        text = ocr.PageText(page.index, source="error", error=f"could not read the page: {type(error).__name__}")
    _record_page(page_id=page_id, text=text)


def page_failed(*, page_id: int, error: str) -> None:
    """Record a page that could not be read (its task kept dying, say) so that its pre-check finishes."""
    page = PrecheckPage.objects.filter(pk=page_id).first()
    if page is not None:
        _record_page(page_id=page_id, text=ocr.PageText(page.index, source="error", error=error))


def _record_page(*, page_id: int, text: ocr.PageText) -> None:
    """Store one page's reading and count it; the page that closes its wave moves the pre-check on."""
    with transaction.atomic():
        page = PrecheckPage.objects.get(pk=page_id)
        precheck = Precheck.objects.select_for_update().get(pk=page.precheck_id)
        page = PrecheckPage.objects.select_for_update().get(pk=page_id)
        if page.status != PrecheckPage.Status.QUEUED:
            return
        _store_text(page, text)
        precheck.pages_done = F("pages_done") + 1
        precheck.wave_pending = F("wave_pending") - 1
        precheck.save(update_fields=["pages_done", "wave_pending"])
        precheck.refresh_from_db(fields=["wave_pending"])
        last_of_wave = precheck.wave_pending == 0
    if last_of_wave:
        wave_done(precheck_id=precheck.pk)


def sweep_stale_pages(*, now=None) -> int:
    """Queue again the pages whose task was lost with its worker; after ``OCR_PAGE_MAX_ATTEMPTS`` record them failed.

    A page is lost when a worker began reading it longer ago than the hard time limit, or when it was queued
    ``RECONCILE_AFTER_SECONDS`` ago and no worker began (its message is gone). Returns how many were swept.
    """
    now = now or timezone.now()
    started_before = now - timedelta(seconds=int(getattr(settings, "OCR_PAGE_TIMEOUT_SECONDS", 60)) + 120)
    queued_before = now - timedelta(seconds=settings.RECONCILE_AFTER_SECONDS)
    lost = PrecheckPage.objects.filter(status=PrecheckPage.Status.QUEUED).filter(
        Q(started_at__lt=started_before) | Q(started_at__isnull=True, queued_at__lt=queued_before)
    )
    swept = 0
    for page_id, attempts in lost.values_list("pk", "attempts"):
        if attempts >= settings.OCR_PAGE_MAX_ATTEMPTS:
            page_failed(page_id=page_id, error=f"the page could not be read in {attempts} attempts")
            swept += 1
            continue
        with transaction.atomic():
            if lost.filter(pk=page_id).update(queued_at=now, started_at=None, attempts=F("attempts") + 1):
                _queue_pages([page_id])
                swept += 1
    if swept:
        logger.warning("re-queued or failed %s lost pre-check page(s)", swept)
    return swept


def _claim(precheck: Precheck) -> ocr.Claim:
    return ocr.Claim(**precheck.claim)


def _pages_by_document(precheck: Precheck) -> dict[int, list[ocr.PageText]]:
    pages: dict[int, list[ocr.PageText]] = {}
    for row in precheck.pages.exclude(text__isnull=True).order_by("document_id", "index"):
        pages.setdefault(row.document_id, []).append(ocr.PageText.from_dict(row.text))
    return pages


def wave_done(*, precheck_id: int) -> None:
    precheck = Precheck.objects.get(pk=precheck_id)
    if not precheck.pages.filter(status=PrecheckPage.Status.PENDING).exists():
        finish(precheck_id=precheck_id)  # every page read: nothing to decide about stopping early
        return
    read = [page for pages in _pages_by_document(precheck).values() for page in pages]
    if ocr.is_satisfied(read, _claim(precheck)):
        precheck.pages.filter(status=PrecheckPage.Status.PENDING).update(status=PrecheckPage.Status.SKIPPED)
        finish(precheck_id=precheck_id)
    else:
        _next_wave(precheck_id)


def finish(*, precheck_id: int) -> None:
    """Assess every page read, per document, and store the combined result. Idempotent."""
    with transaction.atomic():
        precheck = Precheck.objects.select_for_update().select_related("document_set").get(pk=precheck_id)
        if precheck.status in (Precheck.Status.DONE, Precheck.Status.FAILED):
            return
        _conclude(precheck)
        precheck_finished.send(sender=Precheck, precheck=precheck)


def _conclude(precheck: Precheck, rows: list[PrecheckPage] | None = None) -> None:
    """Assess the pages read and store the result on the (locked) pre-check; audited."""
    if rows is None:
        rows = list(precheck.pages.select_related("document").order_by("document_id", "index"))
    _assess(precheck, rows)
    precheck.save(update_fields=["result", "verdict", "status", "finished_at", "pages_done"])
    _audit_conclusion(precheck)


def _assess(precheck: Precheck, rows: list[PrecheckPage]) -> None:
    """The combined result of the pages read (``rows``: the page rows with their documents), on the pre-check, unsaved."""
    claim = _claim(precheck)
    pages: dict[int, list[ocr.PageText]] = {}
    for row in rows:
        if row.text is not None:
            pages.setdefault(row.document_id, []).append(ocr.PageText.from_dict(row.text))
    documents = sorted({row.document_id: row.document for row in rows}.values(), key=lambda d: d.pk)
    # Each document's dates are judged against the day it was uploaded (a certificate is recent or not then).
    results = [
        ocr.assess(
            pages.get(d.pk, []),
            claim,
            file=d.original_name,
            total_pages=d.page_count,
            today=timezone.localdate(d.uploaded_at),
            certificate_max_days=settings.PRECHECK_CERTIFICATE_MAX_DAYS,
        )
        for d in documents
    ]
    batch = ocr.combine(results, seconds=sum(row.seconds or 0 for row in rows))
    payload = batch.to_dict()
    for document, file_result in zip(documents, payload["files"]):
        file_result["document_id"] = document.pk
    precheck.result = payload
    precheck.verdict = payload.get("verdict", "")
    precheck.status = Precheck.Status.DONE
    precheck.finished_at = timezone.now()


def _audit_conclusion(precheck: Precheck) -> None:
    document_set = precheck.document_set
    audit.record(
        actor=Actor.system("ocr"),
        action="precheck.finish",
        target=precheck,
        customer_id=document_set.customer_id,
        before=None,
        after={"verdict": precheck.verdict, "pages_done": precheck.pages_done, "pages_total": precheck.pages_total},
        reason="automatic pre-check",
        request_ref=document_set.reference,
    )


def fail(*, precheck_id: int, error: str) -> None:
    """Record a pre-check that could not run at all (a bug or lost storage), for staff to see and retry."""
    with transaction.atomic():
        precheck = Precheck.objects.select_for_update().get(pk=precheck_id)
        if precheck.status == Precheck.Status.DONE:
            return
        precheck.status = Precheck.Status.FAILED
        precheck.error = error[:2000]
        precheck.finished_at = timezone.now()
        precheck.save(update_fields=["status", "error", "finished_at"])
        precheck_finished.send(sender=Precheck, precheck=precheck)
