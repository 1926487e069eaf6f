"""The current representative is told at once when someone else starts a request, and may stop it."""

import pytest
from django.utils import translation
from viewflow.workflow.status import STATUS

from accounts.audit import Actor
from accounts.models import AuditEvent
from tests import mailbox
from tests.workflows.paperwork import (
    power_of_attorney,
    staff,
    staff_actor,
    start_change,
    start_manager,
    task_of,
    upload,
)
from workflows import rules, services
from workflows.models import Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the messages the tests match are the English ones
        yield


def _notice_link(story) -> str:
    return mailbox.link_path(story.representative.email, "/object/")


def test_a_request_started_by_a_full_contact_tells_the_representative_in_their_language(
    story, django_capture_on_commit_callbacks
):
    story.representative.language = "es"
    story.representative.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        process = start_manager(
            story, requested_by=story.full, actor=Actor(user=story.full.user, ip=None, label="customer")
        )
    [notice] = [m for m in mailbox.to(story.representative.email) if "/object/" in m.body]
    assert process.reference in notice.subject and "Full Access" in notice.body
    assert "912 100 100" in notice.body and "900 385 425" in notice.body and "Hola" in notice.body
    assert process.representative_at_start == story.representative


def test_the_representative_is_not_told_about_their_own_request(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start_change(story)
    assert not any("/object/" in m.body for m in mailbox.to(story.representative.email))


def test_a_phone_request_by_an_unknown_caller_tells_the_representative(story, django_capture_on_commit_callbacks):
    agent = staff("callcenter_agents")
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(
            story,
            channel="phone",
            requested_by=None,
            asked_by="Intrús Desconegut",
            actor=Actor(user=agent, ip=None, label="call center"),
        )
    notice = [m for m in mailbox.to(story.representative.email) if "/object/" in m.body][-1]
    assert process.reference in notice.body and "Intrús Desconegut" in notice.body


def test_objecting_from_the_link_puts_the_request_on_hold_once_and_audits_it(
    client, story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_manager(
            story, requested_by=story.full, actor=Actor(user=story.full.user, ip=None, label="customer")
        )
    link = _notice_link(story)
    assert client.get(link).status_code == 200
    process.refresh_from_db()
    assert not process.on_hold  # a GET stops nothing
    response = client.post(link, {"note": "No ho he demanat"})
    assert response.status_code == 200 and b'data-objection="recorded"' in response.content
    process.refresh_from_db()
    assert (
        process.on_hold and process.objected_by == story.representative and process.objection_note == "No ho he demanat"
    )
    assert AuditEvent.objects.filter(action="request.objection", request_ref=process.reference).count() == 1
    assert Milestone.objects.filter(reference=process.reference, kind=Milestone.Kind.ON_HOLD).count() == 1
    client.post(link, {"note": "again"})  # idempotent
    assert AuditEvent.objects.filter(action="request.objection", request_ref=process.reference).count() == 1


@pytest.mark.parametrize("tamper", ["reference", "token"])
def test_a_tampered_objection_link_is_refused(client, story, tamper, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_manager(
            story, requested_by=story.full, actor=Actor(user=story.full.user, ip=None, label="customer")
        )
        other = start_change(story)
    link = _notice_link(story)
    bad = link.replace(process.reference, other.reference) if tamper == "reference" else link[:-3] + "xx/"
    assert client.post(bad, {"note": "x"}).status_code == 404
    process.refresh_from_db()
    other.refresh_from_db()
    assert not process.on_hold and not other.on_hold


def test_only_the_representative_at_the_start_may_object(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_manager(
            story, requested_by=story.full, actor=Actor(user=story.full.user, ip=None, label="customer")
        )
    with pytest.raises(services.RequestError):
        services.object_to_request(
            process=process, person=story.readonly, channel="portal", note="", actor=Actor.system("test")
        )


def test_a_held_request_is_decided_only_by_supervisors_and_needs_four_eyes(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(
            story, requested_by=story.full, actor=Actor(user=story.full.user, ip=None, label="customer")
        )
        upload(process, power_of_attorney(story.customer))
        services.submit_documents(process=process, actor=Actor.system("test"))
        services.object_to_request(
            process=process, person=story.representative, channel="phone", note="", actor=Actor.system("test")
        )
    task = task_of(process, "verify")
    assert task.owner_permission == rules.SUPERVISE and task.status == STATUS.NEW
    verifier = staff("verifiers")
    with pytest.raises(services.DecisionError, match="on hold"):
        services.decide(task_id=task.pk, user=verifier, decision="approve", actor=staff_actor(verifier))
    supervisor = staff("supervisors")
    with django_capture_on_commit_callbacks(execute=True):
        process = services.decide(task_id=task.pk, user=supervisor, decision="approve", actor=staff_actor(supervisor))
    assert process.applied_at is None and task_of(process, "second_approval") is not None


def test_a_closed_request_cannot_be_stopped(client, story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_manager(
            story, requested_by=story.full, actor=Actor(user=story.full.user, ip=None, label="customer")
        )
    process.is_open = False
    process.outcome = "expired"
    process.save(update_fields=["is_open", "outcome"])
    response = client.post(_notice_link(story), {"note": ""})
    assert response.status_code == 400 and not type(process).objects.get(pk=process.pk).on_hold
