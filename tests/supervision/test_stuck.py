"""The stuck-work page: what reconciliation could not mend (steps in error, e-mails not delivered, messages the
broker has not taken), for supervisors only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import STATUS

from outbox.models import Email, Message
from tests import factories
from tests.workflows.paperwork import staff, start_change, tasks_of

from .conftest import html, logged_in, url

pytestmark = pytest.mark.django_db


def _failed_email(n: int, reference: str = "RC0000000001") -> Email:
    return Email.objects.create(
        key=f"k{n}",
        to=f"gone{n}@example.com",
        template="request_outcome",
        language="es",
        request_ref=reference,
        status=Email.Status.FAILED,
        error="550 5.1.1 user unknown",
    )


def test_an_undelivered_email_and_a_waiting_message_are_listed(supervising, story):
    _failed_email(1)
    Message.objects.create(
        task="accounts.tasks.deliver_emails", task_id="t1", created_at=timezone.now() - timedelta(hours=1)
    )
    Message.objects.create(task="accounts.tasks.deliver_emails", task_id="t2")  # just written: not waiting yet
    page = html(supervising.get(url("stuck")))
    assert "gone1@example.com" in page and "550 5.1.1 user unknown" in page and "RC0000000001" in page
    assert 'data-sv-waiting="1"' in page


def test_a_job_in_error_on_an_open_request_is_listed_with_its_error(supervising, story, submitted):
    job = tasks_of(submitted, "precheck")[-1]
    job.status = STATUS.ERROR
    job.data = {"_exception": {"title": "The pre-check failed: planning failed"}}
    job.save()
    page = html(supervising.get(url("stuck")))
    assert f'data-sv-failed-step="{submitted.reference}"' in page and "The pre-check failed: planning failed" in page


def test_nothing_stuck_says_so(supervising, story):
    start_change(story)
    page = html(supervising.get(url("stuck")))
    assert "data-sv-failed-step=" not in page and "data-sv-failed-email=" not in page and "data-sv-waiting" not in page


def test_the_page_costs_the_same_queries_for_one_email_as_for_twenty(supervising, story):
    _failed_email(0)
    with CaptureQueriesContext(connection) as one:
        supervising.get(url("stuck"))
    for n in range(1, 20):
        _failed_email(n)
    with CaptureQueriesContext(connection) as twenty:
        page = html(supervising.get(url("stuck")))
    assert page.count("data-sv-failed-email=") == 20 and len(twenty) == len(one)


@pytest.mark.parametrize("group", ["verifiers", "callcenter_agents", None])
def test_staff_who_do_not_supervise_get_403(story, group):
    user = staff(group) if group else factories.staff_user("nogroup")
    assert logged_in(user).get(url("stuck")).status_code == 403


def test_a_customer_gets_403_and_a_visitor_the_login(client, story):
    assert logged_in(story.representative.user).get(url("stuck")).status_code == 403
    response = client.get(url("stuck"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff_login"))
