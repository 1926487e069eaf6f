"""Forgot password does the same work whether or not the NIF belongs to someone a link can go to."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Person
from tests import factories as f
from tests import mailbox

pytestmark = pytest.mark.django_db
URL = reverse("portal:forgot_password")


def _ask(client, id_number, capture):
    with CaptureQueriesContext(connection) as queries, capture() as callbacks:
        response = client.post(URL, {"id_number": id_number})
    assert response.status_code == 200
    return queries, callbacks


def test_a_registered_and_an_unknown_nif_run_the_same_queries_and_queue_the_same_callback(
    client, story, django_capture_on_commit_callbacks
):
    known_queries, known_callbacks = _ask(client, story.representative.id_number, django_capture_on_commit_callbacks)
    unknown_queries, unknown_callbacks = _ask(client, "11111111H", django_capture_on_commit_callbacks)
    assert len(known_queries) == len(unknown_queries)
    assert len(known_callbacks) == len(unknown_callbacks) == 1  # one delivery message each, carrying what it carries


def test_an_unconfirmed_address_runs_the_same_queries_as_a_registered_nif(
    client, story, django_capture_on_commit_callbacks
):
    person = f.person(login=True, email="unconfirmed@example.com")
    Person.objects.filter(pk=person.pk).update(email_confirmed_at=None)
    known_queries, _ = _ask(client, story.representative.id_number, django_capture_on_commit_callbacks)
    unconfirmed_queries, _ = _ask(client, person.id_number, django_capture_on_commit_callbacks)
    assert len(known_queries) == len(unconfirmed_queries)


def test_the_task_queued_for_an_unknown_nif_sends_no_e_mail(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(URL, {"id_number": "11111111H"})
    from outbox.models import Message

    assert len(callbacks) == 1 and list(Message.objects.values_list("task", flat=True)) == [
        "accounts.tasks.deliver_emails"
    ]
    assert mail.outbox == []


def test_a_registered_nif_still_gets_its_reset_link(client, story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"id_number": story.representative.id_number})
    assert mailbox.link_path(story.representative.email, "/password/reset/")
