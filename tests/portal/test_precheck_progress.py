"""A request's page: status words that say whose move it is and until when, the checklist of the documents it
needs, the automatic checks' progress polled as JSON (no reloads) and a confirmation after submitting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from documents.models import Precheck
from tests import factories as f
from tests import mailbox
from tests.portal.helpers import login_as, use_language
from tests.workflows.paperwork import start_change
from workflows import services
from workflows.models import Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return start_change(story)


def _progress_url(process) -> str:
    return reverse("portal:precheck_progress", args=[process.reference])


def _body(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def _running_precheck(process, *, done=1, total=4) -> Precheck:
    return Precheck.objects.create(
        document_set=process.document_set,
        claim={},
        status=Precheck.Status.RUNNING,
        pages_done=done,
        pages_total=total,
    )


def test_a_request_waiting_for_documents_says_it_is_the_customers_move_and_until_when(client, story, process):
    use_language(client, "en")
    login_as(client, story.representative)
    task = services.active_task(process, services.flow_of(process).documents)
    with translation.override("en"):
        until = formats.date_format(task.created + timedelta(days=15), "SHORT_DATE_FORMAT")
    expected = f"Waiting for your documents — until {until}"
    assert expected in _body(client.get(reverse("portal:request_detail", args=[process.reference])))
    assert expected in _body(client.get(reverse("portal:requests")))
    assert "Request submitted</span>" not in _body(client.get(reverse("portal:requests")))


def test_the_request_page_lists_the_documents_it_needs(client, story, process):
    login_as(client, story.representative)
    body = _body(client.get(reverse("portal:request_detail", args=[process.reference])))
    checklist = body[body.index("data-checklist") :]
    for label in ("Poder notarial", "Escriptura", "Certificat del Registre"):
        assert label.split()[0] in checklist


def test_the_upload_link_page_lists_the_documents_it_needs(client, story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        phoned = start_change(story, channel="phone")
        services.send_upload_link(process=phoned, actor=f.actor(), email="caller@example.com")
    body = _body(client.get(mailbox.link_path("caller@example.com", "/upload/")))
    assert "data-checklist" in body and "Poder" in body


def test_progress_is_served_as_json_and_says_when_it_is_done(client, story, process):
    login_as(client, story.representative)
    precheck = _running_precheck(process)
    process.precheck = precheck
    process.save(update_fields=["precheck"])
    running = client.get(_progress_url(process)).json()
    assert running["done"] is False and (running["pages_done"], running["pages_total"]) == (1, 4)
    precheck.status, precheck.pages_done = Precheck.Status.DONE, 4
    precheck.save(update_fields=["status", "pages_done"])
    finished = client.get(_progress_url(process)).json()
    assert finished["done"] is True and "acabat" in finished["text"]


def test_the_request_page_polls_with_a_static_script(client, story, process):
    process.precheck = _running_precheck(process)
    process.save(update_fields=["precheck"])
    login_as(client, story.representative)
    body = _body(client.get(reverse("portal:request_detail", args=[process.reference])))
    assert f'data-progress-url="{_progress_url(process)}"' in body
    assert "portal/precheck_progress.js" in body and "<script>" not in body  # no inline script (CSP)


@pytest.mark.parametrize("who", ["outsider"])
def test_another_customers_person_cannot_see_the_progress(client, story, process, who):
    login_as(client, story.people()[who])
    assert client.get(_progress_url(process)).status_code == 404


def test_anonymous_and_staff_cannot_see_the_progress(client, story, process):
    assert client.get(_progress_url(process)).status_code == 302
    client.force_login(f.staff_user())
    assert client.get(_progress_url(process)).status_code == 302


def test_the_progress_endpoint_takes_only_get(client, story, process):
    login_as(client, story.representative)
    assert client.post(_progress_url(process)).status_code == 405


def test_status_words_cover_every_milestone():
    from portal.requests import STATUS_WORDS

    assert set(STATUS_WORDS) == set(Milestone.Kind.values)


def test_a_closed_request_has_no_deadline():
    from portal.requests import status_words

    with translation.override("en"):
        assert status_words(Milestone.Kind.APPLIED, waiting_since=timezone.now()) == "Done: approved and applied"
