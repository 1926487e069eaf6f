"""Submitting documents Posts, Redirects and Gets its confirmation (a reload never re-posts), and a request's
checklist ticks off what is uploaded and says what is still missing."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent
from tests.portal.helpers import login_as, use_language
from tests.workflows.paperwork import power_of_attorney, staff, staff_actor, start_change, task_of, upload
from workflows import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    use_language(client, "en")
    return client


def _started(story, capture, **kwargs):
    with capture(execute=True):
        return start_change(story, **kwargs)


def _detail_url(process) -> str:
    return reverse("portal:request_detail", args=[process.reference])


def _received_url(process) -> str:
    return reverse("portal:documents_received", args=[process.reference])


def _body(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def _checklist(response) -> str:
    body = _body(response)
    start = body.index("data-checklist")
    return body[start : body.index("</section>", start)]


def _submits(process) -> int:
    return AuditEvent.objects.filter(request_ref=process.reference, action="document_set.submit").count()


def test_submitting_from_the_request_page_redirects_to_a_confirmation_that_reloads_as_a_get(
    en, story, django_capture_on_commit_callbacks
):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.representative)
    upload(process, power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(_detail_url(process), {"action": "submit"})
    assert response.status_code == 302 and response["Location"] == _received_url(process)
    for _reload in range(2):
        page = en.get(response["Location"])
        body = _body(page)
        assert page.status_code == 200 and "Documents received" in body and process.reference in body
        assert "Change of representative" in body and f'href="{_detail_url(process)}"' in body  # follow it
    assert _submits(process) == 1  # the reloads asked for the page again; nothing was posted twice


def test_submitting_from_an_upload_link_redirects_to_the_same_confirmation(
    en, story, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    process = _started(story, django_capture_on_commit_callbacks, channel="phone")
    link = re.search(r"https?://\S+?(/upload/\S+/)", mail.outbox[-1].body).group(1)
    assert (
        en.post(
            link, {"action": "upload", "files": [SimpleUploadedFile("poder.pdf", power_of_attorney(story.customer))]}
        ).status_code
        == 302
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(link, {"action": "submit"})
    assert response.status_code == 302 and response["Location"] == _received_url(process)
    body = _body(en.get(response["Location"]))
    assert "Documents received" in body and process.reference in body
    assert "This upload link no longer works" in body and 'href="/requests/' not in body  # no login, no tracking link
    assert en.get(response["Location"]).status_code == 200 and _submits(process) == 1


def test_the_confirmation_is_only_for_the_browser_that_submitted(en, client, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.representative)
    assert en.get(_received_url(process)).status_code == 404  # nothing submitted yet
    upload(process, power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=True):
        en.post(_detail_url(process), {"action": "submit"})
    assert en.get(_received_url(process)).status_code == 200
    en.logout()
    assert en.get(_received_url(process)).status_code == 404  # a new session knows nothing of it
    assert en.post(_received_url(process)).status_code in (404, 405)


def test_a_failed_submit_stays_on_the_request_page_with_its_error(en, story, django_capture_on_commit_callbacks):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.representative)
    response = en.post(_detail_url(process), {"action": "submit"})
    assert response.status_code == 400 and "Add at least one document before submitting." in _body(response)


def test_the_checklist_says_the_backing_document_is_missing_until_one_is_uploaded(
    en, story, django_capture_on_commit_callbacks
):
    process = _started(story, django_capture_on_commit_callbacks)
    login_as(en, story.representative)
    before = _checklist(en.get(_detail_url(process)))
    assert 'data-done="false"' in before and 'data-done="true"' not in before
    assert "Power of attorney, Deed or Registry certificate" in before
    assert "Still missing" in before and "1 document still missing" in before
    upload(process, power_of_attorney(story.customer), name="poder-notari.pdf")
    after = _checklist(en.get(_detail_url(process)))
    assert 'data-done="true"' in after and 'data-done="false"' not in after
    assert "Uploaded:" in after and "poder-notari.pdf" in after and "Still missing" not in after
    assert "Nothing is missing: submit the documents when you are ready." in after


def test_after_more_documents_are_asked_the_checklist_waits_for_a_new_upload(
    en, story, django_capture_on_commit_callbacks
):
    process = _started(story, django_capture_on_commit_callbacks)
    upload(process, power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=staff_actor(story.representative.user))
    verifier = staff("verifiers")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            task_id=task_of(process, "verify").pk,
            user=verifier,
            decision="more_documents",
            customer_message="Send the registry certificate too.",
            internal_note="",
            actor=staff_actor(verifier),
        )
    login_as(en, story.representative)
    checklist = _checklist(en.get(_detail_url(process)))
    assert checklist.count('data-done="true"') == 1 and checklist.count('data-done="false"') == 1
    assert "The further documents we asked you for on" in checklist and "1 document still missing" in checklist
    upload(process, power_of_attorney(story.customer, seed=8), name="certificat.pdf")
    checklist = _checklist(en.get(_detail_url(process)))
    assert checklist.count('data-done="true"') == 2 and "certificat.pdf" in checklist
