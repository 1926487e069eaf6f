"""Every path of the two flows, end to end through the services (OCR on text-layer PDFs, Celery eager)."""

import pytest
from django.core import mail
from viewflow.workflow.status import PROCESS, STATUS

from accounts.models import AuditEvent, Grant
from workflows import services
from workflows.models import Milestone

from .paperwork import NEW_NIF, power_of_attorney, staff, staff_actor, start_change, task_of, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def verifier(db):
    return staff("verifiers")


@pytest.fixture
def supervisor(db):
    return staff("supervisors")


def submitted(story, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story, **kwargs)
    upload(process, power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=staff_actor(story.representative.user))
    process.refresh_from_db()
    return process


def test_approve_applies_the_change_and_tells_everyone(story, verifier, django_capture_on_commit_callbacks):
    process = submitted(story, django_capture_on_commit_callbacks)
    assert process.precheck.verdict == "clear", process.precheck.result
    task = task_of(process, "verify")
    assert task is not None and task.status == STATUS.NEW
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        process = services.decide(task_id=task.pk, user=verifier, decision="approve", actor=staff_actor(verifier))
    assert process.outcome == "applied" and not process.is_open
    assert process.status == PROCESS.DONE, [(t.flow_task.name, t.status) for t in process.task_set.all()]
    rep = Grant.objects.get(customer=story.customer, role="representative", revoked_at__isnull=True)
    assert rep.person.id_number == NEW_NIF
    assert Grant.objects.get(customer=story.customer, person=story.representative, revoked_at__isnull=True).role == "authorised_full"
    assert {m.kind for m in Milestone.objects.filter(reference=process.reference)} >= {"submitted", "documents_received", "checks_running", "under_review", "applied"}
    assert AuditEvent.objects.filter(request_ref=process.reference, action="grant.create").count() == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(["rep@example.com", "marta@example.com", story.representative.email])
