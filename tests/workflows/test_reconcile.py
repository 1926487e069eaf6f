"""Reconciliation of the requests' flow: a job whose message was lost runs, and a finished pre-check whose hand-off
was lost moves its request on, once RECONCILE_AFTER_SECONDS have passed; each audited, none twice."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.models import AuditEvent
from documents.models import Precheck
from outbox import services as outbox
from outbox.models import Message
from tests.ocr.corpus import make_facts, pdf_from_images, render_document
from tests.workflows.paperwork import NEW_NAME, NEW_NIF, power_of_attorney, staff_actor, start_change, task_of, upload
from workflows import reconcile, services

pytestmark = pytest.mark.django_db


def _losing(monkeypatch, task: str) -> list:
    """Messages of ``task`` are lost on their way to the broker (the rest goes through)."""
    lost, real = [], outbox._send

    def send(message):
        if message.task == task:
            lost.append(message)
            return None
        return real(message)

    monkeypatch.setattr(outbox, "_send", send)
    return lost


def _age(settings) -> None:
    past = timezone.now() - timedelta(seconds=settings.RECONCILE_AFTER_SECONDS + 1)
    Task.objects.update(created=past)
    Task.objects.filter(started__isnull=False).update(started=past)
    Precheck.objects.filter(finished_at__isnull=False).update(finished_at=past)
    Message.objects.update(created_at=past)


def _submitted(story, monkeypatch, django_capture_on_commit_callbacks, content: bytes, lose: str):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    with django_capture_on_commit_callbacks(execute=True):
        upload(process, content)
    lost = _losing(monkeypatch, lose)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=staff_actor(story.representative.user))
    monkeypatch.undo()
    return process, lost


def test_a_job_whose_message_was_lost_runs_and_the_request_reaches_verification(
    story, monkeypatch, settings, django_capture_on_commit_callbacks
):
    process, lost = _submitted(
        story,
        monkeypatch,
        django_capture_on_commit_callbacks,
        power_of_attorney(story.customer),
        lose="workflows.run_precheck",
    )
    assert lost and task_of(process, "precheck").status == STATUS.SCHEDULED
    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile.redrive() == 0  # not overdue yet
    _age(settings)
    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile.redrive() == 1
    assert task_of(process, "verify") is not None and task_of(process, "precheck") is None
    assert AuditEvent.objects.filter(action="reconcile.redrive", request_ref=process.reference).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile.redrive() == 0


def test_a_finished_precheck_whose_hand_off_was_lost_moves_the_request_on(
    story, monkeypatch, settings, django_capture_on_commit_callbacks
):
    facts = make_facts(random.Random(7), "power_of_attorney", "es")
    facts.company_name, facts.company_cif = story.customer.name, story.customer.tax_id
    facts.person_nif, facts.person_name = NEW_NIF, NEW_NAME
    scan = pdf_from_images(render_document(facts))  # needs OCR: the job waits for the pages
    process, lost = _submitted(
        story, monkeypatch, django_capture_on_commit_callbacks, scan, lose="workflows.tasks.continue_after_precheck"
    )
    process.refresh_from_db()
    assert lost and process.precheck.status == Precheck.Status.DONE
    assert task_of(process, "precheck").status == STATUS.STARTED  # waiting for a hand-off that never came
    _age(settings)
    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile.redrive() == 1
    assert task_of(process, "precheck") is None and task_of(process, "verify") is not None
