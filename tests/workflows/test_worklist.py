"""The staff work queue (workflows.worklist): its columns, oldest due first with due times that skip weekends and
public holidays, the filters, saved views, "Take next" (the oldest-due task the person may decide, never one of a
request they started nor a second approval of their own decision; two people at once get two tasks), the archive,
the numbers on the menu, who is refused, and a fixed number of queries for a page of 5 or 50 rows."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.audit import Actor
from accounts.models import AuditEvent, Person
from tests import factories
from tests.supervision.conftest import a_change_on_a_new_customer, html, logged_in, put_on_hold
from tests.workflows.paperwork import (
    OTHER_NIF,
    manager_mandate,
    power_of_attorney,
    staff,
    staff_actor,
    start_change,
    start_manager,
    task_of,
    upload,
)
from tests.workflows.test_concurrency import race
from workflows import services, worklist
from workflows.flows import FLOW_OF_MODEL
from workflows.models import SavedView

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
QUEUE = reverse("staff:workflow:worklist")
ARCHIVE = reverse("staff:workflow:worklist_archive")
TAKE = reverse("staff:workflow:worklist_take")
SAVE = reverse("staff:workflow:worklist_save_view")


def submit(process, capture, content: bytes | None = None):
    """Documents in and pre-checked: the request waits at verification."""
    with capture(execute=True):
        upload(
            process, content or power_of_attorney(process.customer, nif=process.new_id_number, name=process.new_name)
        )
    with capture(execute=True):
        services.submit_documents(process=process, actor=Actor.system("test"))
    process.refresh_from_db()
    assert task_of(process, "verify") is not None
    return process


def at_verification(n: int, capture, content: bytes | None = None):
    process = a_change_on_a_new_customer(n)
    return submit(process, capture, content)


def created_at(process, moment: datetime, step: str = "verify") -> None:
    Task.objects.filter(pk=task_of(process, step).pk).update(created=moment)


def rows(page: str) -> list[str]:
    """The references of the queue's rows, in order."""
    return re.findall(r'data-worklist-row="([^"]+)"', page)


def decide(process, user, capture, decision: str = "approve", **kwargs):
    with capture(execute=True):
        return services.decide(
            task_id=task_of(process, "verify").pk, user=user, decision=decision, actor=staff_actor(user), **kwargs
        )


@pytest.fixture
def verifier(db):
    user = staff("verifiers", "vera")
    user.first_name, user.last_name = "Vera", "Verifier"
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def supervisor(db):
    return staff("supervisors", "sara")


# -- columns and order ------------------------------------------------------------------------------------------


def test_the_queue_shows_what_the_work_is_oldest_due_first(verifier, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    fresh = at_verification(1, capture)
    unclear = a_change_on_a_new_customer(2)
    submit(unclear, capture, power_of_attorney(unclear.customer, nif=OTHER_NIF))  # names someone else
    old = at_verification(3, capture)
    created_at(old, timezone.now() - timedelta(days=10))
    fresh.customer.sensitive = True
    fresh.customer.save(update_fields=["sensitive"])
    type(fresh).objects.filter(pk=fresh.pk).update(documents_rounds=1)

    page = html(logged_in(verifier).get(QUEUE))

    assert rows(page) == [old.reference, fresh.reference, unclear.reference]  # same age: the older task first
    assert f'data-worklist-row="{old.reference}" data-step="verify" data-bucket="breached" class="wl-overdue"' in page
    assert f'data-worklist-row="{fresh.reference}" data-step="verify" data-bucket="fresh"' in page
    assert fresh.customer.name in page and fresh.customer.tax_id in page
    assert "Change of representative" in page and 'data-verdict="clear"' in page
    unclear.refresh_from_db()
    assert f'data-verdict="{unclear.precheck.verdict}"' in page and unclear.precheck.verdict != "clear"
    assert 'data-round="2"' in page and 'data-flag="sensitive"' in page
    assert "Overdue" in page and "Unassigned" in page
    assert task_of(old, "verify").reverse("execute") in page


def test_due_times_skip_weekends_and_public_holidays_when_ordering(verifier, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    friday, monday_holiday = at_verification(1, capture), at_verification(2, capture)
    # Friday 5 December 2025 10:00 is due Wednesday 10 at 10:00 (weekend, then Monday 8 is the Immaculate
    # Conception); Monday 8 at 09:00 is due Wednesday 10 at 09:00: the later one is due first. Counting only
    # weekends, Friday's would be due Tuesday and come first.
    created_at(friday, datetime(2025, 12, 5, 10, 0, tzinfo=MADRID))
    created_at(monday_holiday, datetime(2025, 12, 8, 9, 0, tzinfo=MADRID))
    saturday, friday_before = at_verification(3, capture), at_verification(4, capture)
    # Friday 6 March 2026 11:00 is due Tuesday 10 at 11:00; Saturday 7 at 10:00 is due Tuesday at 10:00.
    created_at(friday_before, datetime(2026, 3, 6, 11, 0, tzinfo=MADRID))
    created_at(saturday, datetime(2026, 3, 7, 10, 0, tzinfo=MADRID))

    page = html(logged_in(verifier).get(QUEUE))

    assert rows(page) == [monday_holiday.reference, friday.reference, saturday.reference, friday_before.reference]
    assert 'datetime="2025-12-10T09:00:00+01:00"' in page and 'datetime="2025-12-10T10:00:00+01:00"' in page

    client = logged_in(verifier)
    taken = client.post(TAKE)
    assert taken.status_code == 302 and taken["Location"] == task_of(monday_holiday, "verify").reverse("execute")
    assert client.post(TAKE)["Location"] == task_of(friday, "verify").reverse("execute")


def test_a_verifier_does_not_see_escalated_or_second_approval_work_a_supervisor_does(
    verifier, supervisor, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    plain = at_verification(1, capture)
    held = put_on_hold(at_verification(2, capture))
    sensitive = at_verification(3, capture)
    sensitive.customer.sensitive = True
    sensitive.customer.save(update_fields=["sensitive"])
    decide(sensitive, verifier, capture)
    assert task_of(sensitive, "second_approval") is not None

    assert rows(html(logged_in(verifier).get(QUEUE))) == [plain.reference]
    page = html(logged_in(supervisor).get(QUEUE))
    assert set(rows(page)) == {plain.reference, held.reference, sensitive.reference}
    assert f'data-worklist-row="{sensitive.reference}" data-step="second_approval"' in page
    assert 'data-flag="on_hold"' in page


# -- filters ------------------------------------------------------------------------------------------------------


def test_the_filters_narrow_the_queue(story, verifier, supervisor, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    clear = at_verification(1, capture)
    unclear = a_change_on_a_new_customer(2)
    submit(unclear, capture, power_of_attorney(unclear.customer, nif=OTHER_NIF))
    with capture(execute=True):
        manager = start_manager(story)
    with capture(execute=True):
        upload(manager, manager_mandate(story.customer))
    with capture(execute=True):
        services.submit_documents(process=manager, actor=Actor.system("test"))
    phone = at_verification(3, capture)
    type(phone).objects.filter(pk=phone.pk).update(channel="phone")
    old = at_verification(4, capture)
    created_at(old, timezone.now() - timedelta(days=10))
    escalated = at_verification(5, capture)
    type(escalated).objects.filter(pk=escalated.pk).update(escalated_at=timezone.now())
    sensitive = at_verification(6, capture)
    sensitive.customer.sensitive = True
    sensitive.customer.save(update_fields=["sensitive"])
    mine = at_verification(7, capture)
    task = task_of(mine, "verify")
    task.flow_task.activation_class(task).assign(verifier)

    client = logged_in(verifier)
    everything = set(rows(html(client.get(QUEUE))))
    assert manager.reference in everything and len(everything) == 8

    def only(**filters) -> set[str]:
        response = client.get(QUEUE, filters)
        assert response.status_code == 200, filters
        return set(rows(html(response)))

    unclear.refresh_from_db()
    assert unclear.precheck.verdict != "clear"
    assert unclear.reference in only(verdict=unclear.precheck.verdict)
    assert clear.reference not in only(verdict=unclear.precheck.verdict)
    assert only(kind="external_manager") == {manager.reference}
    assert manager.reference not in only(kind="representative_change")
    assert only(channel="phone") == {phone.reference}
    assert only(age="breached") == {old.reference}
    assert old.reference not in only(age="fresh")
    assert only(flag="escalated") == {escalated.reference}
    assert only(flag="sensitive") == {sensitive.reference}
    assert only(assignee="mine") == {mine.reference}
    assert mine.reference not in only(assignee="unassigned")
    assert only(channel="phone", age="breached") == set()
    assert only(step="second_approval") == set()
    assert "No task matches these filters." in html(client.get(QUEUE, {"channel": "phone", "age": "breached"}))


def test_a_filter_it_does_not_know_is_a_400_with_a_message_and_the_others_still_apply(
    verifier, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    phone, portal = at_verification(1, capture), at_verification(2, capture)
    type(phone).objects.filter(pk=phone.pk).update(channel="phone")
    response = logged_in(verifier).get(QUEUE, {"channel": "phone", "verdict": "'; DROP TABLE x", "page": "zz"})
    assert response.status_code == 400
    page = html(response)
    assert "data-worklist-error" in page and "Pre-check" in page
    assert rows(page) == [phone.reference] and portal.reference not in page


# -- saved views --------------------------------------------------------------------------------------------------


def test_a_person_saves_lists_replaces_and_deletes_their_own_views(verifier):
    client = logged_in(verifier)
    response = client.post(SAVE, {"name": "  Phone,   overdue ", "query": "age=breached&channel=phone&bogus=1"})
    assert response.status_code == 302 and response["Location"] == f"{QUEUE}?age=breached&channel=phone"
    assert "View “Phone, overdue” saved." in html(client.get(response["Location"]))
    view = SavedView.objects.get(user=verifier)
    assert (view.name, view.query) == ("Phone, overdue", "age=breached&channel=phone")  # the form's order

    page = html(client.get(QUEUE))
    assert 'data-worklist-view="Phone, overdue"' in page and f"{QUEUE}?age=breached&amp;channel=phone" in page

    client.post(SAVE, {"name": "Phone, overdue", "query": "channel=phone"})
    assert list(SavedView.objects.filter(user=verifier).values_list("name", "query")) == [
        ("Phone, overdue", "channel=phone")
    ]

    other = staff("verifiers", "victor")
    assert "Phone, overdue" not in html(logged_in(other).get(QUEUE))
    assert logged_in(other).post(reverse("staff:workflow:worklist_delete_view", args=[view.pk])).status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()

    response = client.post(reverse("staff:workflow:worklist_delete_view", args=[view.pk]))
    assert response.status_code == 302 and not SavedView.objects.filter(pk=view.pk).exists()
    assert client.get(reverse("staff:workflow:worklist_delete_view", args=[view.pk])).status_code == 405


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("   ", "channel=phone", "Give the view a name."),
        ("x" * 61, "channel=phone", "A view&#x27;s name has at most 60 characters."),
        ("Mine", "channel=fax", "These filters cannot be saved"),
    ],
)
def test_a_view_with_a_bad_name_or_filters_is_not_saved(verifier, name, query, message):
    client = logged_in(verifier)
    response = client.post(SAVE, {"name": name, "query": query}, follow=True)
    assert response.status_code == 200 and message in html(response)
    assert not SavedView.objects.exists()


def test_a_person_keeps_at_most_thirty_views(verifier):
    SavedView.objects.bulk_create(SavedView(user=verifier, name=f"View {n}") for n in range(worklist.MAX_SAVED_VIEWS))
    response = logged_in(verifier).post(SAVE, {"name": "One more", "query": ""}, follow=True)
    assert "You have 30 saved views already: delete one first." in html(response)
    assert SavedView.objects.filter(user=verifier).count() == worklist.MAX_SAVED_VIEWS
    assert logged_in(verifier).post(SAVE, {"name": "View 3", "query": "channel=phone"}).status_code == 302  # replaces
    assert SavedView.objects.get(user=verifier, name="View 3").query == "channel=phone"


# -- take next ----------------------------------------------------------------------------------------------------


def test_take_next_assigns_the_oldest_due_task_with_viewflows_assign_and_audits_it(
    verifier, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    newer, older = at_verification(1, capture), at_verification(2, capture)
    created_at(older, timezone.now() - timedelta(days=1))

    response = logged_in(verifier).post(TAKE)

    task = task_of(older, "verify")
    assert response.status_code == 302 and response["Location"] == task.reverse("execute")
    assert (task.status, task.owner_id) == (STATUS.ASSIGNED, verifier.pk)
    assert task_of(newer, "verify").owner_id is None
    event = AuditEvent.objects.get(action="task.take")
    assert (event.request_ref, event.actor_id, event.after["owner"]) == (older.reference, verifier.pk, verifier.pk)
    assert logged_in(verifier).get(response["Location"]).status_code == 200


def test_a_verifier_never_takes_a_request_they_started(story, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    agent_and_verifier = staff("callcenter_agents", "both")
    agent_and_verifier.groups.add(Group.objects.get(name="verifiers"))
    with capture(execute=True):
        theirs = start_change(story, actor=staff_actor(agent_and_verifier), channel="phone")
    theirs = submit(theirs, capture)
    created_at(theirs, timezone.now() - timedelta(days=9))  # the oldest of all
    other = at_verification(1, capture)

    client = logged_in(agent_and_verifier)
    assert theirs.reference not in rows(html(client.get(QUEUE)))
    assert client.post(TAKE)["Location"] == task_of(other, "verify").reverse("execute")
    response = client.post(TAKE, follow=True)
    assert "Nothing to take: no open task you may decide is waiting." in html(response)
    assert response.redirect_chain[-1][0] == QUEUE
    assert task_of(theirs, "verify").owner_id is None


def test_a_supervisor_never_takes_the_second_approval_of_their_own_decision(
    supervisor, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    process = at_verification(1, capture)
    process.customer.sensitive = True
    process.customer.save(update_fields=["sensitive"])
    decide(process, supervisor, capture)
    assert task_of(process, "second_approval") is not None

    assert process.reference not in rows(html(logged_in(supervisor).get(QUEUE)))
    assert worklist.take_next(user=supervisor, actor=staff_actor(supervisor)) is None
    other = staff("supervisors", "otto")
    task = worklist.take_next(user=other, actor=staff_actor(other))
    assert task.pk == task_of(process, "second_approval").pk and task.owner_id == other.pk


def test_the_rules_are_asked_again_on_taking_a_request_that_names_the_person(
    verifier, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    process = at_verification(1, capture)
    named = Person.objects.filter(id_number=process.new_id_number).first() or factories.person(
        id_number=process.new_id_number
    )
    named.user = verifier
    named.save(update_fields=["user"])
    assert worklist.take_next(user=verifier, actor=staff_actor(verifier)) is None
    assert task_of(process, "verify").owner_id is None and not AuditEvent.objects.filter(action="task.take").exists()


def test_take_next_is_a_post_and_only_for_verification_staff(story, verifier):
    assert logged_in(verifier).get(TAKE).status_code == 405
    agent = staff("callcenter_agents", "agent")
    assert logged_in(agent).post(TAKE).status_code == 403
    with pytest.raises(worklist.WorklistError):
        worklist.take_next(user=agent, actor=staff_actor(agent))


# -- archive ------------------------------------------------------------------------------------------------------


def test_the_archive_has_the_same_columns_for_what_the_person_decided(
    verifier, supervisor, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    late, on_time, by_other = (at_verification(n, capture) for n in (1, 2, 3))
    created_at(late, timezone.now() - timedelta(days=10))
    decide(late, verifier, capture)
    decide(on_time, verifier, capture, decision="reject", reason="unreadable")
    decide(by_other, staff("verifiers", "victor"), capture)

    page = html(logged_in(verifier).get(ARCHIVE))
    assert set(rows(page)) == {late.reference, on_time.reference}
    assert f'data-worklist-row="{late.reference}" data-step="verify" data-bucket="breached"' in page and "Late" in page
    assert "Vera Verifier" in page and late.customer.tax_id in page
    assert set(rows(html(logged_in(supervisor).get(ARCHIVE)))) == {
        late.reference,
        on_time.reference,
        by_other.reference,
    }
    assert rows(html(logged_in(verifier).get(ARCHIVE, {"age": "breached"}))) == [late.reference]


# -- the menu and the landing page ---------------------------------------------------------------------------------


def test_the_menu_counts_my_tasks_the_queue_and_what_is_overdue(verifier, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    old, free, mine = (at_verification(n, capture) for n in (1, 2, 3))
    created_at(old, timezone.now() - timedelta(days=10))
    task = task_of(mine, "verify")
    task.flow_task.activation_class(task).assign(verifier)
    staff("supervisors", "sara")  # escalated work, for supervisors only, is not counted for a verifier
    type(free).objects.filter(pk=free.pk).update(escalated_at=timezone.now())
    Task.objects.filter(pk=task_of(free, "verify").pk).update(owner_permission="workflows.supervise_request")

    page = html(logged_in(verifier).get(QUEUE))
    assert (
        '<span class="mdc-list-item__meta" data-count="1">1</span>' in page.split('data-worklist-menu="queue"')[1][:800]
    )
    assert 'data-count="1"' in page.split('data-worklist-menu="mine"')[1][:800]
    assert 'data-count="1"' in page.split('data-worklist-menu="overdue"')[1][:800]

    counts = worklist.menu_counts(verifier)
    with CaptureQueriesContext(connection) as queries:
        assert (counts.mine, counts.queue, counts.overdue) == (1, 1, 1)
    assert len(queries) == 1
    assert worklist.menu_counts(staff("callcenter_agents", "agent")) is None


def test_a_verifier_lands_on_the_work_queue_and_an_agent_sees_no_queue_in_the_menu(verifier):
    assert logged_in(verifier).get("/staff/")["Location"] == QUEUE
    agent_page = html(logged_in(staff("callcenter_agents", "agent")).get(reverse("staff:workflow:inbox")))
    assert "data-worklist-menu" not in agent_page and QUEUE not in agent_page


# -- who is refused -------------------------------------------------------------------------------------------------


def test_everyone_but_verification_staff_is_refused(story, verifier):
    view = SavedView.objects.create(user=verifier, name="Mine", query="")
    delete = reverse("staff:workflow:worklist_delete_view", args=[view.pk])
    scoped_manager = factories.person(login=True)
    factories.grant(
        customer=story.customer, person=scoped_manager, role="external_manager", firm=story.firm, supply_points=[]
    )
    customers = [story.representative.user, story.readonly.user, story.outsider.user, scoped_manager.user]
    staff_without = [staff("callcenter_agents", "agent"), factories.staff_user("nogroup")]
    for url, method in ((QUEUE, "get"), (ARCHIVE, "get"), (TAKE, "post"), (SAVE, "post"), (delete, "post")):
        anonymous = getattr(Client(), method)(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("staff_login")), url
        for user in customers + staff_without:
            assert getattr(logged_in(user), method)(url).status_code == 403, (url, user)
    assert SavedView.objects.filter(pk=view.pk).exists() and SavedView.objects.count() == 1


# -- a fixed number of queries ----------------------------------------------------------------------------------------


def seed_open_work(n: int, verifier, precheck) -> None:
    """``n`` requests at verification, cheaply: the verification task written as the flow writes it. Every fifth
    is the verifier's, every third on a sensitive customer, every seventh (from the second) an external manager."""
    for k in range(n):
        if k % 7 == 1:
            on = SimpleNamespace(customer=factories.customer(supply_points=1, invoices=()), representative=None)
            process = start_manager(on, actor=Actor.system("test"))
        else:
            process = a_change_on_a_new_customer(1000 + k)
        type(process).objects.filter(pk=process.pk).update(precheck=precheck)
        if k % 3 == 0:
            type(process.customer).objects.filter(pk=process.customer_id).update(sensitive=True)
        mine = k % 5 == 0
        Task.objects.create(
            process=process,
            flow_task=FLOW_OF_MODEL[type(process)].verify,
            flow_task_type="HUMAN",
            status=STATUS.ASSIGNED if mine else STATUS.NEW,
            owner=verifier if mine else None,
            owner_permission="workflows.verify_request",
            created=timezone.now() - timedelta(hours=k * 7),
        )


def test_a_page_costs_the_same_queries_for_5_and_50_rows(
    verifier, django_assert_num_queries, django_capture_on_commit_callbacks
):
    precheck = at_verification(0, django_capture_on_commit_callbacks).precheck
    Task.objects.filter(flow_task_type="HUMAN").delete()
    client = logged_in(verifier)
    SavedView.objects.create(user=verifier, name="Sensitive", query="flag=sensitive")
    client.get(QUEUE)  # the session and the permissions cache warm, as for a person working the queue

    seed_open_work(5, verifier, precheck)
    with CaptureQueriesContext(connection) as five:
        page = html(client.get(QUEUE))
    assert len(rows(page)) == 5 and 'data-flag="sensitive"' in page and "Vera Verifier" in page

    seed_open_work(45, verifier, precheck)
    with django_assert_num_queries(len(five)):
        page = html(client.get(QUEUE))
    assert len(rows(page)) == 50

    seed_open_work(10, verifier, precheck)  # past one page: 50 rows and a link to the next page
    with django_assert_num_queries(len(five)):
        page = html(client.get(QUEUE))
    assert len(rows(page)) == 50 and "Page 1 of 2" in page and "page=2" in page
    assert len(rows(html(client.get(QUEUE, {"page": 2})))) == 10


# -- two people at once (PostgreSQL) ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_verifiers_pressing_at_once_get_two_different_tasks(django_capture_on_commit_callbacks):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL")
    capture = django_capture_on_commit_callbacks
    processes = [at_verification(n, capture) for n in range(3)]
    for n, process in enumerate(processes):
        created_at(process, timezone.now() - timedelta(days=3 - n))
    first, second = staff("verifiers", "ana"), staff("verifiers", "bru")

    results = race(
        lambda: worklist.take_next(user=first, actor=staff_actor(first)),
        lambda: worklist.take_next(user=second, actor=staff_actor(second)),
    )

    assert all(isinstance(r, Task) for r in results), results
    assert results[0].pk != results[1].pk
    owners = {task_of(p, "verify").pk: task_of(p, "verify").owner_id for p in processes}
    assert sorted(o for o in owners.values() if o) == sorted([first.pk, second.pk])
    assert owners[task_of(processes[2], "verify").pk] is None  # the newest stays in the queue
    assert AuditEvent.objects.filter(action="task.take").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_request_someone_else_holds_is_skipped_not_waited_for(django_capture_on_commit_callbacks):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL")
    capture = django_capture_on_commit_callbacks
    oldest, next_one = at_verification(1, capture), at_verification(2, capture)
    created_at(oldest, timezone.now() - timedelta(days=2))
    verifier = staff("verifiers", "vera")
    holding, release = threading.Event(), threading.Event()

    def hold_the_oldest():
        with transaction.atomic():
            type(oldest).objects.select_for_update().filter(pk=oldest.pk).exists()  # as a decision in progress does
            holding.set()
            release.wait(timeout=30)
        connections.close_all()

    holder = threading.Thread(target=hold_the_oldest)
    holder.start()
    try:
        assert holding.wait(timeout=10)
        task = worklist.take_next(user=verifier, actor=staff_actor(verifier))
    finally:
        release.set()
        holder.join(timeout=30)
    assert task.pk == task_of(next_one, "verify").pk
    assert task_of(oldest, "verify").owner_id is None
