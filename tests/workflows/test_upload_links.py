"""The secure upload link of a request started by phone: who may use it, and until when."""

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.utils import timezone, translation

from accounts.audit import Actor
from tests import factories
from workflows import services
from workflows.models import UploadLink

from .paperwork import (
    customer_actor,
    fire,
    link_token,
    power_of_attorney,
    staff,
    staff_actor,
    start_change,
    task_of,
    task_summary,
    upload,
)

pytestmark = pytest.mark.django_db

HOLDER = Actor(user=None, ip="203.0.113.9", label="upload link")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the messages the tests match are the English ones
        yield


@pytest.fixture
def agent(db):
    return staff("callcenter_agents")


def by_phone(story, agent, capture, **kwargs):
    """A request started by phone and the token of the link e-mailed for it."""
    mail.outbox.clear()
    with capture(execute=True):
        process = start_change(story, actor=staff_actor(agent), channel="phone", **kwargs)
    [message] = [m for m in mail.outbox if "/upload/" in m.body]
    return process, link_token(message, process.reference)


def refused(reference, token, match):
    with pytest.raises(services.UploadLinkError, match=match):
        services.check_upload_link(reference=reference, token=token)


def test_a_fresh_link_works(story, agent, django_capture_on_commit_callbacks):
    process, token = by_phone(story, agent, django_capture_on_commit_callbacks)
    link, found = services.check_upload_link(reference=process.reference.lower(), token=token)
    assert found.pk == process.pk and link.reference == process.reference and link.opened_at is None


def test_an_expired_link_is_refused(story, agent, django_capture_on_commit_callbacks):
    process, token = by_phone(story, agent, django_capture_on_commit_callbacks)
    UploadLink.objects.filter(reference=process.reference).update(expires_at=timezone.now() - timedelta(seconds=1))
    refused(process.reference, token, "expired")
    assert services.waiting_for_documents(process)  # the request itself still waits


def test_a_revoked_link_is_refused(story, agent, django_capture_on_commit_callbacks):
    process, token = by_phone(story, agent, django_capture_on_commit_callbacks)
    link = UploadLink.objects.get(reference=process.reference)
    services.revoke_upload_link(link=link, actor=staff_actor(agent))
    link.refresh_from_db()
    assert link.state == "revoked"
    refused(process.reference, token, "withdrawn")


def test_resending_the_link_revokes_the_earlier_one(story, agent, django_capture_on_commit_callbacks):
    process, first = by_phone(story, agent, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_upload_link(process=process, actor=staff_actor(agent), email="other@example.com")
    [message] = mail.outbox
    assert message.to == ["other@example.com"]
    second = link_token(message, process.reference)

    refused(process.reference, first, "withdrawn")
    link, _ = services.check_upload_link(reference=process.reference, token=second)
    assert link.email == "other@example.com"
    assert [link.state for link in UploadLink.objects.filter(reference=process.reference).order_by("pk")] == [
        "revoked",
        "sent",
    ]


def test_a_link_of_another_request_is_refused(story, agent, django_capture_on_commit_callbacks):
    process, token = by_phone(story, agent, django_capture_on_commit_callbacks)
    other_story = factories.Story()
    other, other_token = by_phone(other_story, agent, django_capture_on_commit_callbacks)
    refused(other.reference, token, "another request")
    refused(process.reference, other_token, "another request")


def test_a_link_is_useless_once_the_request_moved_on(story, agent, django_capture_on_commit_callbacks):
    process, token = by_phone(story, agent, django_capture_on_commit_callbacks)
    link, _ = services.check_upload_link(reference=process.reference, token=token)
    upload(process, power_of_attorney(story.customer), actor=HOLDER)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=HOLDER, link=link)
    assert task_of(process, "verify") is not None, task_summary(process)

    refused(process.reference, token, "no longer waiting")
    with pytest.raises(services.UploadLinkError):
        services.send_upload_link(process=process, actor=staff_actor(agent))


def test_a_used_link_does_not_come_back_when_more_documents_are_asked(story, agent, django_capture_on_commit_callbacks):
    process, token = by_phone(story, agent, django_capture_on_commit_callbacks)
    link, _ = services.check_upload_link(reference=process.reference, token=token)
    upload(process, power_of_attorney(story.customer), actor=HOLDER)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=HOLDER, link=link)
    verifier = staff("verifiers")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            task_id=task_of(process, "verify").pk,
            user=verifier,
            decision="more_documents",
            customer_message="Falta l'escriptura.",
            actor=staff_actor(verifier),
        )
    assert services.waiting_for_documents(process)
    [message] = mail.outbox  # the more-documents round sends a new link
    fresh = link_token(message, process.reference)

    refused(process.reference, token, "withdrawn")
    new_link, _ = services.check_upload_link(reference=process.reference, token=fresh)
    assert new_link.pk != link.pk


def test_a_tampered_token_is_refused(story, agent, django_capture_on_commit_callbacks):
    process, token = by_phone(story, agent, django_capture_on_commit_callbacks)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    refused(process.reference, tampered, "not valid")
    refused(process.reference, "not-a-token", "not valid")
    # correctly signed, but never issued: there is no link with its hash
    forged = signing.dumps({"r": process.reference, "n": "0123456789abcdef"}, salt="workflows.upload-link")
    refused(process.reference, forged, "not valid")


def test_a_closed_request_revokes_its_links(story, agent, django_capture_on_commit_callbacks):
    process, token = by_phone(story, agent, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        fire(process, "expire")
    process.refresh_from_db()
    assert process.outcome == "expired"
    assert UploadLink.objects.get(reference=process.reference).state == "revoked"
    refused(process.reference, token, "withdrawn")


def test_the_reminder_of_a_phone_request_sends_a_new_link(story, agent, django_capture_on_commit_callbacks):
    process, first = by_phone(story, agent, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        fire(process, "remind")
    [message] = mail.outbox
    fresh = link_token(message, process.reference)
    refused(process.reference, first, "withdrawn")
    assert services.check_upload_link(reference=process.reference, token=fresh)[1].pk == process.pk


def test_a_portal_request_has_no_upload_link(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story, actor=customer_actor(story.representative))
    assert not UploadLink.objects.filter(reference=process.reference).exists()
    assert all("/upload/" not in m.body for m in mail.outbox)
