"""The supervisor's board: its figures against a seeded set of requests, who may open it, reassigning a
verification (never to whom the rules forbid, always audited), flagging a customer as sensitive with a reason, and
a fixed number of queries whatever the number of requests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import STATUS

from accounts.audit import Actor
from accounts.models import AuditEvent
from supervision import selectors, services
from supervision.models import Heartbeat
from tests import factories
from tests.workflows.paperwork import power_of_attorney, staff, staff_actor, task_of, tasks_of, upload
from workflows import services as workflows
from workflows.services import add_working_days

from .conftest import a_change_on_a_new_customer, html, logged_in, put_on_hold, url

pytestmark = pytest.mark.django_db

SUPERVISOR = Actor(user=None, ip="127.0.0.1", label="supervisor")


def submitted(n: int, capture):
    """A change of representative on a customer of its own, at verification (documents in, pre-check done)."""
    process = a_change_on_a_new_customer(n)
    with capture(execute=True):
        upload(process, power_of_attorney(process.customer, nif=process.new_id_number, name=process.new_name))
    with capture(execute=True):
        workflows.submit_documents(process=process, actor=Actor.system("test"))
    process.refresh_from_db()
    assert task_of(process, "verify") is not None
    return process


def created_ago(process, moment) -> None:
    type(task_of(process, "verify")).objects.filter(pk=task_of(process, "verify").pk).update(created=moment)


def aging_moment(now):
    """A moment at least 1 but less than 2 working days before ``now`` (the flow's own calendar)."""
    for hours in range(24, 24 * 6):
        moment = now - timedelta(hours=hours)
        if add_working_days(moment, 1) <= now < add_working_days(moment, 2):
            return moment
    raise AssertionError("no aging moment")


def fail_precheck(process) -> None:
    job = tasks_of(process, "precheck")[-1]
    job.status = STATUS.ERROR
    job.data = {"_exception": {"title": "planning failed", "traceback": "Traceback ...\nRuntimeError: planning failed"}}
    job.save()


@pytest.fixture
def seeded(supervisor, django_capture_on_commit_callbacks):
    """One request at each place the board counts; returns the requests by name and the verifier."""
    capture = django_capture_on_commit_callbacks
    now = timezone.localtime()
    verifier = staff("verifiers", "vera")
    verifier.first_name, verifier.last_name = "Vera", "Verifier"
    verifier.save(update_fields=["first_name", "last_name"])
    requests = {"waiting": a_change_on_a_new_customer(1)}  # at documents
    requests["fresh"] = submitted(2, capture)
    requests["aging"] = submitted(3, capture)
    created_ago(requests["aging"], aging_moment(now))
    requests["breached"] = submitted(4, capture)
    created_ago(requests["breached"], now - timedelta(days=10))
    type(requests["breached"]).objects.filter(pk=requests["breached"].pk).update(escalated_at=now)
    requests["held"] = put_on_hold(submitted(5, capture))  # at verification too, in the supervisors' queue
    # decided by the verifier: two approvals today (clear pre-check: applied), one three days ago
    for n in (6, 7, 8):
        process = submitted(n, capture)
        with capture(execute=True):
            workflows.decide(
                task_id=task_of(process, "verify").pk,
                user=verifier,
                decision="approve",
                actor=staff_actor(verifier),
            )
        requests[f"decided{n}"] = process
    done = tasks_of(requests["decided8"], "verify")[-1]
    type(done).objects.filter(pk=done.pk).update(finished=now - timedelta(days=3))
    # a sensitive customer approved by the only supervisor: nobody may give the second approval
    requests["unapprovable"] = submitted(9, capture)
    requests["unapprovable"].customer.sensitive = True
    requests["unapprovable"].customer.save(update_fields=["sensitive"])
    with capture(execute=True):
        workflows.decide(
            task_id=task_of(requests["unapprovable"], "verify").pk,
            user=supervisor,
            decision="approve",
            actor=staff_actor(supervisor),
        )
    assert task_of(requests["unapprovable"], "second_approval") is not None
    requests["failed"] = a_change_on_a_new_customer(10)
    upload(requests["failed"], power_of_attorney(requests["failed"].customer))
    workflows.submit_documents(process=requests["failed"], actor=Actor.system("test"))  # the job's message not run
    fail_precheck(requests["failed"])
    return requests, verifier


def test_the_board_counts_the_seeded_requests(supervising, seeded):
    requests, verifier = seeded
    board = selectors.supervisor_board()
    queues = {q.name: q.open_tasks for q in board.queues}
    assert queues == {"documents": 1, "precheck": 1, "verify": 4, "second_approval": 1}
    assert board.buckets == {"fresh": 2, "aging": 1, "breached": 1}  # "held" is fresh as well
    assert board.escalations == 1 and board.on_hold == 1
    assert [job.process.reference for job in board.failed_jobs] == [requests["failed"].reference]
    assert board.failed_jobs[0].error.endswith("Technical detail: RuntimeError: planning failed")
    assert [item.process.reference for item in board.unapprovable] == [requests["unapprovable"].reference]
    assert len(board.per_day) == 14 and board.per_day[-1].decisions == 3  # two by the verifier, one by the supervisor
    assert board.per_day[-4].decisions == 1 and sum(d.decisions for d in board.per_day) == 4
    assert [(v.name, v.decisions) for v in board.per_verifier] == [("Vera Verifier", 3), ("Sara Supervisor", 1)]

    page = html(supervising.get(url("board")))
    assert 'data-sv-queue="verify" data-count="4"' in page
    assert 'data-sv-bucket="breached" data-count="1"' in page and 'data-sv-escalations="1"' in page
    assert f'data-sv-failed-job="{requests["failed"].reference}"' in page and "RuntimeError: planning failed" in page
    assert tasks_of(requests["failed"], "precheck")[-1].reverse("revive") in page  # the existing Retry page
    assert 'data-sv-unapprovable="1"' in page and reverse("staff:supervision:stuck") + "#unapprovable" in page
    assert 'data-sv-on-hold="1"' in page and reverse("staff:supervision:holds") in page
    assert f'data-sv-verification="{requests["breached"].reference}" data-bucket="breached"' in page
    assert "Traceback" not in page


def test_the_stuck_page_lists_the_second_approval_nobody_may_give(supervising, seeded):
    requests, _ = seeded
    page = html(supervising.get(url("stuck")))
    assert f'data-sv-unapprovable-item="{requests["unapprovable"].reference}"' in page


def test_a_second_supervisor_makes_the_approval_possible_again(supervising, seeded):
    requests, _ = seeded
    staff("supervisors", "otto")
    assert selectors.second_approvals_nobody_can_give() == []


def test_heartbeats_are_late_past_the_readiness_threshold(supervising, settings):
    now = timezone.now()
    Heartbeat.objects.create(name="worker:celery", sent_at=now, ran_at=now)
    Heartbeat.objects.create(name="queue:celery", sent_at=now, ran_at=now)
    old = now - timedelta(seconds=settings.READY_HEARTBEAT_MAX_AGE + 5)
    Heartbeat.objects.create(name="worker:ocr", sent_at=old, ran_at=old)
    board = selectors.supervisor_board()
    assert {row.queue: row.late for row in board.health} == {"celery": False, "ocr": True, "mail": True}
    assert board.beat_late is False
    page = html(supervising.get(url("board")))
    assert (
        'data-sv-queue-health="celery" data-late="no"' in page and 'data-sv-queue-health="mail" data-late="yes"' in page
    )


def test_nothing_seeded_shows_zeros_and_no_heartbeat_is_late(supervising):
    page = html(supervising.get(url("board")))
    assert 'data-sv-queue="verify" data-count="0"' in page and 'data-sv-beat data-late="yes"' in page


# -- who may open it ----------------------------------------------------------------------------------


@pytest.mark.parametrize("group", ["verifiers", "callcenter_agents", None])
def test_staff_who_do_not_supervise_get_403(story, group):
    user = staff(group) if group else factories.staff_user("nogroup")
    client = logged_in(user)
    assert client.get(url("board")).status_code == 403
    assert client.post(url("reassign"), {}).status_code == 403
    assert client.post(url("set_sensitive"), {}).status_code == 403


def test_a_customer_gets_403_and_a_visitor_the_login(client, story):
    assert logged_in(story.representative.user).get(url("board")).status_code == 403
    response = client.get(url("board"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff_login"))


def test_a_supervisor_lands_on_the_board(supervising):
    response = supervising.get("/staff/")
    assert response.status_code == 302 and response["Location"] == url("board")


def test_the_menu_leads_to_the_board(supervising):
    assert f'href="{url("board")}"' in html(supervising.get(url("holds")))


# -- reassign ------------------------------------------------------------------------------------------


def _reassign(client, task, to, reason="Vera is off sick today"):
    return client.post(
        url("reassign"), {"reassign-task": task.pk, "reassign-to": to.pk, "reassign-reason": reason}, follow=True
    )


def test_a_verification_is_reassigned_and_audited(supervising, supervisor, django_capture_on_commit_callbacks):
    process = submitted(20, django_capture_on_commit_callbacks)
    task = task_of(process, "verify")
    vera, victor = staff("verifiers", "vera"), staff("verifiers", "victor")
    task.flow_task.activation_class(task).assign(vera)
    response = _reassign(supervising, task, victor)
    assert response.status_code == 200 and "The verification was given to" in html(response)
    task.refresh_from_db()
    assert task.owner == victor and task.status == STATUS.ASSIGNED
    event = AuditEvent.objects.get(action="task.reassign")
    assert event.request_ref == process.reference and event.actor == supervisor
    assert event.before["owner"] == vera.pk and event.after["owner"] == victor.pk
    assert event.reason == "Vera is off sick today"


def test_an_unassigned_verification_is_assigned_to_the_target(django_capture_on_commit_callbacks):
    process = submitted(21, django_capture_on_commit_callbacks)
    victor = staff("verifiers", "victor")
    task = services.reassign_verification(
        task_id=task_of(process, "verify").pk, to=victor, reason="balancing the queue", actor=SUPERVISOR
    )
    assert task.owner == victor and task.status == STATUS.ASSIGNED


def test_a_verification_cannot_go_to_the_agent_who_started_it(django_capture_on_commit_callbacks):
    """An agent who also verifies started it by phone: four eyes forbid them to decide it."""
    agent = staff("callcenter_agents", "agent")
    agent.groups.add(type(agent.groups.first()).objects.get(name="verifiers"))
    process = a_change_on_a_new_customer(22)
    type(process).objects.filter(pk=process.pk).update(started_by=agent)
    process.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        upload(process, power_of_attorney(process.customer, nif=process.new_id_number, name=process.new_name))
    with django_capture_on_commit_callbacks(execute=True):
        workflows.submit_documents(process=process, actor=Actor.system("test"))
    task = task_of(process, "verify")
    with pytest.raises(services.SupervisionError) as refused:
        services.reassign_verification(task_id=task.pk, to=agent, reason="balancing the queue", actor=SUPERVISOR)
    assert refused.value.code == "not_allowed" and "You started this request" in refused.value.message
    task.refresh_from_db()
    assert task.owner is None and not AuditEvent.objects.filter(action="task.reassign").exists()


def test_an_escalated_verification_goes_only_to_a_supervisor(django_capture_on_commit_callbacks):
    process = submitted(23, django_capture_on_commit_callbacks)
    type(process).objects.filter(pk=process.pk).update(escalated_at=timezone.now())
    victor = staff("verifiers", "victor")
    with pytest.raises(services.SupervisionError) as refused:
        services.reassign_verification(
            task_id=task_of(process, "verify").pk, to=victor, reason="balancing the queue", actor=SUPERVISOR
        )
    assert refused.value.code == "not_allowed"


def test_a_reassignment_needs_a_reason_and_an_open_verification(supervising, django_capture_on_commit_callbacks):
    process = submitted(24, django_capture_on_commit_callbacks)
    victor = staff("verifiers", "victor")
    response = _reassign(supervising, task_of(process, "verify"), victor, reason="x")
    assert response.status_code == 400 and "Write why" in html(response)
    with pytest.raises(services.SupervisionError) as refused:
        services.reassign_verification(
            task_id=tasks_of(process, "precheck")[-1].pk, to=victor, reason="balancing the queue", actor=SUPERVISOR
        )
    assert refused.value.code == "not_verification"
    assert not AuditEvent.objects.filter(action="task.reassign").exists()


# -- sensitive -----------------------------------------------------------------------------------------


def _sensitive(client, reference, change, reason="The company asked for extra care"):
    return client.post(
        url("set_sensitive"),
        {"sensitive-reference": reference, "sensitive-change": change, "sensitive-reason": reason},
        follow=True,
    )


def test_sensitive_is_set_and_cleared_with_a_reason_and_audited(supervising, supervisor):
    process = a_change_on_a_new_customer(30)
    response = _sensitive(supervising, process.reference.lower(), "set")
    assert response.status_code == 200 and "is now flagged as sensitive" in html(response)
    process.customer.refresh_from_db()
    assert process.customer.sensitive
    response = _sensitive(supervising, process.reference, "clear", reason="The dispute is settled now")
    assert response.status_code == 200
    process.customer.refresh_from_db()
    assert not process.customer.sensitive
    events = list(AuditEvent.objects.filter(action="customer.sensitive").order_by("pk"))
    assert [(e.before, e.after, e.reason, e.request_ref, e.actor_id) for e in events] == [
        (
            {"sensitive": False},
            {"sensitive": True},
            "The company asked for extra care",
            process.reference,
            supervisor.pk,
        ),
        ({"sensitive": True}, {"sensitive": False}, "The dispute is settled now", process.reference, supervisor.pk),
    ]


def test_sensitive_without_a_reason_or_unknown_or_unchanged_changes_nothing(supervising):
    process = a_change_on_a_new_customer(31)
    assert _sensitive(supervising, process.reference, "set", reason="short").status_code == 400
    response = _sensitive(supervising, "RC-ZZZZZZ", "set")
    assert response.status_code == 400 and "No request has the reference RC-ZZZZZZ" in html(response)
    response = _sensitive(supervising, process.reference, "clear")
    assert response.status_code == 400 and "is not flagged as sensitive" in html(response)
    process.customer.refresh_from_db()
    assert not process.customer.sensitive and not AuditEvent.objects.filter(action="customer.sensitive").exists()


# -- a fixed number of queries ---------------------------------------------------------------------------


def _one_of_each(n: int, capture, supervisor, verifier) -> None:
    """A verification (decided by ``verifier`` when n is even); every third n a failed pre-check and a request on
    hold; every fifth a second approval nobody may give (a sensitive customer, approved by the only supervisor)."""
    process = submitted(100 + n, capture)
    if n % 5 == 0:
        process.customer.sensitive = True
        process.customer.save(update_fields=["sensitive"])
    if n % 2 == 0 or n % 5 == 0:
        decider = supervisor if n % 5 == 0 else verifier
        with capture(execute=True):
            workflows.decide(
                task_id=task_of(process, "verify").pk, user=decider, decision="approve", actor=staff_actor(decider)
            )
    if n % 3 == 0:
        put_on_hold(a_change_on_a_new_customer(500 + n))
        failed = a_change_on_a_new_customer(700 + n)
        upload(failed, power_of_attorney(failed.customer))
        workflows.submit_documents(process=failed, actor=Actor.system("test"))
        fail_precheck(failed)


def test_the_board_costs_the_same_queries_for_3_requests_as_for_30(
    supervising, supervisor, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    verifier = staff("verifiers", "vera")
    for n in range(3):
        _one_of_each(n, capture, supervisor, verifier)
    with CaptureQueriesContext(connection) as few:
        assert supervising.get(url("board")).status_code == 200
    for n in range(3, 30):
        _one_of_each(n, capture, supervisor, verifier)
    with CaptureQueriesContext(connection) as many:
        page = html(supervising.get(url("board")))
    assert page.count("data-sv-verification=") == 12 and page.count("data-sv-failed-job=") == 10
    assert 'data-sv-unapprovable="6"' in page and 'data-sv-on-hold="10"' in page
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    print(f"board: {len(few)} queries for 3 requests, {len(many)} for 30")


# -- in Chromium, in Catalan -------------------------------------------------------------------------------


def _broken_plan(*, precheck_id):
    raise RuntimeError("disk /srv/x/y full")
