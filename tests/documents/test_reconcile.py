"""Reconciliation of the documents' background work: previews never made and pre-checks never planned or stalled
are driven again once RECONCILE_AFTER_SECONDS have passed, audited; what was just sent is left alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from documents import prechecks, reconcile
from documents.models import Document, Precheck
from outbox import services as outbox
from tests.documents.test_prechecks import _claim, _document_set, _facts
from tests.ocr.corpus import pdf_with_text, text_pdf_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost(monkeypatch):
    """Every message is lost on its way to the broker, until ``lost.undo()``."""
    dropped = []
    real = outbox._send
    monkeypatch.setattr(outbox, "_send", lambda message: dropped.append(message.task))

    class Lost:
        tasks = dropped

        def undo(self):
            monkeypatch.setattr(outbox, "_send", real)

    return Lost()


def _age_everything(seconds: int) -> None:
    past = timezone.now() - timedelta(seconds=seconds)
    from outbox.models import Message

    Document.objects.update(uploaded_at=past)
    Precheck.objects.update(created_at=past)
    Message.objects.update(created_at=past)


def test_previews_whose_message_was_lost_are_made(lost, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document_set = _document_set(("poder.pdf", pdf_with_text(text_pdf_lines(_facts()))))
    document = document_set.documents.get()
    assert (
        "documents.tasks.make_previews_task" in lost.tasks and document.preview_status == Document.PreviewStatus.PENDING
    )
    lost.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile.redrive() == 0  # too early: its message may still be on its way
    _age_everything(settings.RECONCILE_AFTER_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile.redrive() == 1
    document.refresh_from_db()
    assert document.preview_status == Document.PreviewStatus.READY
    event = AuditEvent.objects.get(action="reconcile.redrive")
    assert event.actor_label == "reconciler" and "previews not rendered" in event.reason
    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile.redrive() == 0  # done: nothing more


def test_a_precheck_never_planned_is_planned_and_finishes(lost, settings, django_capture_on_commit_callbacks):
    facts = _facts()
    document_set = _document_set(("poder.pdf", pdf_with_text(text_pdf_lines(facts))))
    with django_capture_on_commit_callbacks(execute=True):
        precheck = prechecks.start_precheck(document_set=document_set, claim=_claim(facts), actor=reconcile.RECONCILER)
    assert precheck.status == Precheck.Status.QUEUED
    lost.undo()
    _age_everything(settings.RECONCILE_AFTER_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile.redrive() >= 1
    precheck.refresh_from_db()
    assert precheck.status == Precheck.Status.DONE and precheck.verdict == "clear", precheck.result


def test_a_precheck_stalled_between_waves_moves_on(settings, django_capture_on_commit_callbacks):
    facts = _facts()
    with django_capture_on_commit_callbacks(execute=True):
        document_set = _document_set(("poder.pdf", pdf_with_text(text_pdf_lines(facts))))
    with django_capture_on_commit_callbacks(execute=True):
        precheck = prechecks.start_precheck(document_set=document_set, claim=_claim(facts), actor=reconcile.RECONCILER)
    precheck.refresh_from_db()
    # As if the task that read a wave's last page died before it moved the pre-check on.
    Precheck.objects.filter(pk=precheck.pk).update(
        status=Precheck.Status.RUNNING, result=None, verdict="", finished_at=None
    )
    _age_everything(settings.RECONCILE_AFTER_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile.redrive() == 1
    precheck.refresh_from_db()
    assert precheck.status == Precheck.Status.DONE and precheck.verdict == "clear"
