"""The requests on hold: every open request its representative objected to, for supervisors only; and the
banner on the verification workspace of such a request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.status import STATUS

from tests import factories
from tests.workflows.paperwork import staff, start_change, start_manager, task_of
from workflows.models import Channel, Outcome, RepresentativeChangeProcess

from .conftest import a_change_on_a_new_customer, html, logged_in, put_on_hold, url

pytestmark = pytest.mark.django_db


def test_an_objected_request_is_listed_with_the_objection_and_a_plain_one_is_not(supervising, story):
    held = put_on_hold(start_change(story), note="I never signed this power of attorney.")
    plain = start_manager(story)
    response = supervising.get(url("holds"))
    assert response.status_code == 200
    page = html(response)
    assert f'data-sv-hold="{held.reference}"' in page and f'data-sv-hold="{plain.reference}"' not in page
    for shown in (
        "Change of representative",
        story.customer.name,
        story.customer.tax_id,
        story.representative.name,
        "Customer area",
        "I never signed this power of attorney.",
    ):
        assert shown in page, shown
    assert "Documents" in page and "Wait for the customer&#x27;s upload" in page  # the step it is at, from the flow


def test_a_closed_request_is_no_longer_on_hold(supervising, story):
    held = put_on_hold(start_change(story))
    RepresentativeChangeProcess.objects.filter(pk=held.pk).update(is_open=False, outcome=Outcome.REJECTED)
    page = html(supervising.get(url("holds")))
    assert held.reference not in page and "data-sv-no-holds" in page


def test_the_newest_objection_comes_first(supervising, story):
    older = put_on_hold(a_change_on_a_new_customer(1))
    newer = put_on_hold(a_change_on_a_new_customer(2), channel=Channel.PHONE, note="Called to say no.")
    page = html(supervising.get(url("holds")))
    assert page.index(newer.reference) < page.index(older.reference)
    assert "Phone" in page and "Called to say no." in page


def test_a_request_in_verification_links_to_its_task_in_the_supervisors_queue(supervising, supervisor, submitted):
    put_on_hold(submitted)
    task = task_of(submitted, "verify")
    page = html(supervising.get(url("holds")))
    assert f'href="{task.reverse("execute")}" data-sv-task' in page
    assert "Verification" in page and "in the supervisors' queue" in page
    type(task).objects.filter(pk=task.pk).update(owner=supervisor, status=STATUS.ASSIGNED)
    assert "taken by Sara Supervisor" in html(supervising.get(url("holds")))


def _holds_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("holds")).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_one_request_as_for_ten(supervising, story, submitted):
    put_on_hold(submitted)  # one in verification (a staff task with a link), the others waiting for documents
    one = _holds_page_queries(supervising)
    put_on_hold(start_manager(story))
    for n in range(8):
        put_on_hold(a_change_on_a_new_customer(n))
    page = html(supervising.get(url("holds")))
    assert page.count("data-sv-hold=") == 10
    assert _holds_page_queries(supervising) == one


# -- who may see it --------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_staff_login(client, db):
    response = client.get(url("holds"))
    assert response.status_code == 302 and response["Location"].startswith(
        f"{reverse('staff_login')}?next=/staff/supervision/holds/"
    )


@pytest.mark.parametrize("group", ["verifiers", "callcenter_agents", None])
def test_staff_who_do_not_supervise_get_403(story, group):
    put_on_hold(start_change(story))
    user = staff(group) if group else factories.staff_user("nogroup")
    assert logged_in(user).get(url("holds")).status_code == 403


def test_a_customer_gets_403(story):
    assert logged_in(story.representative.user).get(url("holds")).status_code == 403


def test_the_menu_shows_supervision_to_supervisors_only(supervising, db):
    index = reverse("staff:supervision:index")
    assert f'href="{index}"' in html(supervising.get("/staff/workflow/", follow=True))
    assert f'href="{index}"' not in html(logged_in(staff("verifiers")).get("/staff/workflow/", follow=True))


def test_the_application_index_opens_the_requests_on_hold(supervising):
    response = supervising.get(reverse("staff:supervision:index"), follow=True)
    assert response.status_code == 200 and response.request["PATH_INFO"] == url("holds")


# -- the verification workspace ------------------------------------------------------------------


def test_the_workspace_of_a_held_request_shows_the_objection(supervising, submitted, story):
    page_url = task_of(submitted, "verify").reverse("execute")
    assert "data-vw-on-hold" not in html(supervising.get(page_url))
    put_on_hold(submitted, note="This is not our notary.")
    page = html(supervising.get(page_url))
    assert "data-vw-on-hold" in page
    assert f"The representative, {story.representative.name}, objected on" in page
    assert "(Customer area): “This is not our notary.”" in page
    assert "Only a supervisor decides; an approval needs a second supervisor." in page
