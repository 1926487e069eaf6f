"""The OCR pre-check of a stored document set: planning, per-page tasks in waves, the database join, stop-early."""

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

import ocr
from backoffice.demo import make_nif
from documents import prechecks, services
from documents.models import Precheck, PrecheckPage
from tests import factories as f
from tests.ocr.corpus import make_facts, pdf_with_text, text_pdf_lines

pytestmark = pytest.mark.django_db


def _facts(seed=5, doc_type="power_of_attorney", lang="es"):
    return make_facts(random.Random(seed), doc_type, lang)


def _claim(facts, **override) -> ocr.Claim:
    values = (
        dict(
            request_type=facts.request_type,
            company_cif=facts.company_cif,
            company_name=facts.company_name,
            person_nif=facts.person_nif,
            person_name=facts.person_name,
        )
        | override
    )
    return ocr.Claim(**values)


def _document_set(*files):
    customer = f.customer()
    document_set = services.create_document_set(reference="REQ-TEST", customer=customer, actor=f.actor())
    for name, data in files:
        services.add_document(
            document_set=document_set, uploaded=SimpleUploadedFile(name, data), original_name=name, actor=f.actor()
        )
    return document_set


def _run(document_set, claim, django_capture_on_commit_callbacks) -> Precheck:
    # Celery runs eagerly in tests; every on_commit enqueue executes at once, nested ones too.
    with django_capture_on_commit_callbacks(execute=True):
        precheck = prechecks.start_precheck(document_set=document_set, claim=claim, actor=f.actor())
    precheck.refresh_from_db()
    return precheck


def test_text_layer_power_of_attorney_is_clear(django_capture_on_commit_callbacks):
    facts = _facts()
    document_set = _document_set(("poder.pdf", pdf_with_text(text_pdf_lines(facts))))
    precheck = _run(document_set, _claim(facts), django_capture_on_commit_callbacks)
    assert precheck.status == "done" and precheck.verdict == "clear", precheck.result
    checks = {c["name"]: c["outcome"] for c in precheck.result["checks"]}
    assert checks["company_cif"] == "pass" and checks["person_nif"] == "pass"
    assert precheck.result["files"][0]["document_id"] == document_set.documents.get().pk
    assert precheck.pages_done == precheck.pages_total >= 1


def test_claim_naming_someone_else_never_passes(django_capture_on_commit_callbacks):
    facts = _facts()
    document_set = _document_set(("poder.pdf", pdf_with_text(text_pdf_lines(facts))))
    absent = make_nif(12_345_679)
    assert absent not in (facts.person_nif, facts.grantor_nif)
    precheck = _run(document_set, _claim(facts, person_nif=absent), django_capture_on_commit_callbacks)
    checks = {c["name"]: c["outcome"] for c in precheck.result["checks"]}
    assert checks["person_nif"] != "pass" and precheck.verdict != "clear"


def test_stop_early_skips_pages_after_the_facts(django_capture_on_commit_callbacks, settings):
    settings.OCR_PAGES_PER_WAVE = 1
    facts = _facts(seed=9)
    pages = text_pdf_lines(facts) + [[("body", f"Annex {i}: condicions generals del contracte.")] for i in range(6)]
    document_set = _document_set(("poder-llarg.pdf", pdf_with_text(pages)))
    precheck = _run(document_set, _claim(facts), django_capture_on_commit_callbacks)
    statuses = list(precheck.pages.values_list("status", flat=True))
    assert precheck.status == "done" and "skipped" in statuses
    assert precheck.pages_done < precheck.pages_total == len(pages)


def test_progress_counts_pages_of_every_document(django_capture_on_commit_callbacks):
    facts = _facts(seed=11)
    other = _facts(seed=12, doc_type="other")
    document_set = _document_set(
        ("poder.pdf", pdf_with_text(text_pdf_lines(facts))), ("factura.pdf", pdf_with_text(text_pdf_lines(other)))
    )
    precheck = _run(document_set, _claim(facts), django_capture_on_commit_callbacks)
    assert precheck.pages_total == sum(d.page_count for d in document_set.documents.all())
    assert len(precheck.result["files"]) == len({p.document_id for p in precheck.pages.exclude(status="pending")})


def test_a_missing_stored_file_is_recorded_on_the_page_not_crashing(django_capture_on_commit_callbacks):
    facts = _facts()
    document_set = _document_set(("poder.pdf", pdf_with_text(text_pdf_lines(facts))))
    document = document_set.documents.get()
    document.file.storage.delete(document.file.name)
    precheck = _run(document_set, _claim(facts), django_capture_on_commit_callbacks)
    assert precheck.status == "done" and precheck.verdict == "unreadable"
    assert PrecheckPage.objects.filter(precheck=precheck, status="failed").exists()


def test_redelivered_messages_change_nothing(django_capture_on_commit_callbacks):
    facts = _facts()
    document_set = _document_set(("poder.pdf", pdf_with_text(text_pdf_lines(facts))))
    precheck = _run(document_set, _claim(facts), django_capture_on_commit_callbacks)
    before = (precheck.pages_done, precheck.result)
    prechecks.plan(precheck_id=precheck.pk)
    for page in precheck.pages.all():
        prechecks.read_page(page_id=page.pk)
    prechecks.finish(precheck_id=precheck.pk)
    precheck.refresh_from_db()
    assert (precheck.pages_done, precheck.result) == before


def _lose_page_messages(monkeypatch) -> list:
    """Page messages never reach a worker (lost with a broker or a killed worker); returns those lost."""
    from outbox import services as outbox

    lost, real = [], outbox._send

    def send(message):
        if message.task == "documents.tasks.read_page_task":
            lost.append(message.args[0])
            return None
        return real(message)

    monkeypatch.setattr(outbox, "_send", send)
    return lost


def test_a_lost_page_task_is_queued_again_and_read(django_capture_on_commit_callbacks, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    facts = _facts()
    document_set = _document_set(("poder.pdf", pdf_with_text(text_pdf_lines(facts))))
    lost = _lose_page_messages(monkeypatch)
    precheck = _run(document_set, _claim(facts), django_capture_on_commit_callbacks)
    assert lost and precheck.status == "running" and precheck.pages.filter(status="queued").exists()
    assert prechecks.sweep_stale_pages() == 0  # not lost yet: maybe waiting in a long queue
    monkeypatch.undo()  # the broker works again
    with django_capture_on_commit_callbacks(execute=True):
        swept = prechecks.sweep_stale_pages(now=timezone.now() + timedelta(minutes=11))
    precheck.refresh_from_db()
    assert swept >= 1 and precheck.status == "done" and precheck.verdict == "clear", precheck.result
    assert precheck.pages.filter(attempts=2).exists()


def test_a_page_lost_every_time_is_recorded_failed_after_the_attempts(
    django_capture_on_commit_callbacks, monkeypatch, settings
):
    from datetime import timedelta

    from django.utils import timezone

    facts = _facts()
    document_set = _document_set(("poder.pdf", pdf_with_text(text_pdf_lines(facts))))
    _lose_page_messages(monkeypatch)
    precheck = _run(document_set, _claim(facts), django_capture_on_commit_callbacks)
    later = timezone.now()
    for _ in range(settings.OCR_PAGE_MAX_ATTEMPTS):
        later += timedelta(minutes=11)
        with django_capture_on_commit_callbacks(execute=True):
            prechecks.sweep_stale_pages(now=later)
    precheck.refresh_from_db()
    assert precheck.status == "done" and precheck.verdict == "unreadable"
    assert precheck.pages.filter(status="failed", error__startswith="the page could not be read in").exists()
