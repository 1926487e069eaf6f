"""Our flow nodes do Viewflow's bookkeeping with fewer statements (workflows/nodes.py): what they
write, that nothing else changes, and how many statements each step of a request costs."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import PROCESS, STATUS

from workflows import services
from workflows.flows import RepresentativeChange
from workflows.models import RepresentativeChangeProcess
from workflows.nodes import Deadline, ProcessLock

from .paperwork import (
    customer_actor,
    power_of_attorney,
    staff,
    staff_actor,
    start_change,
    task_of,
    task_summary,
    tasks_of,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


def _statements(queries) -> list[str]:
    """The statements run, without savepoints (their number depends on how deep the caller's transaction is)."""
    return [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]


def _deadline_tasks(process, host: str):
    names = {
        node.name
        for node in RepresentativeChange.instance.nodes()
        if isinstance(node, Deadline) and node._attached_to.name == host
    }
    return [task for task in process.task_set.order_by("pk") if task.flow_task.name in names]


def test_the_timers_are_armed_scheduled_with_their_due_moment(story, django_capture_on_commit_callbacks, settings):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    timers = _deadline_tasks(process, "documents")
    assert [t.flow_task.name for t in timers] == ["documents__timeout", "documents__timeout_2"]  # Viewflow's own names
    assert all(t.status == STATUS.SCHEDULED and t.flow_task_type == "TIMER" for t in timers)
    documents_task = task_of(process, "documents")
    assert all(list(t.previous.all()) == [documents_task] for t in timers)
    reminder, expiry = timers
    assert (
        abs(reminder.scheduled - (before + timezone.timedelta(days=settings.REQUEST_REMINDER_DAYS))).total_seconds()
        < 60
    )
    assert abs(expiry.scheduled - (before + timezone.timedelta(days=settings.REQUEST_EXPIRY_DAYS))).total_seconds() < 60


def test_finishing_the_host_cancels_all_its_timers_in_one_statement(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    upload(process, power_of_attorney(story.customer))
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False):
        services.submit_documents(process=process, actor=customer_actor(story.representative))
    cancels = [sql for sql in _statements(queries) if sql.startswith('UPDATE "viewflow_task"') and "CANCELED" in sql]
    assert len(cancels) == 1, cancels
    timers = _deadline_tasks(process, "documents")
    assert [t.status for t in timers] == [STATUS.CANCELED, STATUS.CANCELED]
    assert all(t.finished is not None for t in timers)


def test_a_job_task_is_inserted_scheduled_and_waits_for_its_message(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    upload(process, power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.submit_documents(process=process, actor=customer_actor(story.representative))
    [job] = tasks_of(process, "precheck")
    assert job.status == STATUS.SCHEDULED and job.external_task_id and job.started is None
    assert len(callbacks) >= 1  # the message leaves after commit; not run here, so the job is still waiting for it


def test_the_end_finishes_the_process_and_keeps_what_the_steps_saved(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    upload(process, power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=customer_actor(story.representative))
    verifier = staff("verifiers")
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.decide(
            task_id=task_of(process, "verify").pk, user=verifier, decision="approve", actor=staff_actor(verifier)
        )
    stored = RepresentativeChangeProcess.objects.get(pk=process.pk)
    assert stored.status == PROCESS.DONE and stored.finished is not None
    assert stored.outcome == "applied" and stored.applied_at is not None and not stored.is_open
    assert stored.decided_by == verifier and stored.new_person is not None
    # the object decide returns is the one the steps updated: the same as the database says
    assert (returned.status, returned.outcome, returned.is_open, returned.new_person_id) == (
        stored.status,
        stored.outcome,
        stored.is_open,
        stored.new_person_id,
    )
    assert returned.document_set.closed_at is not None
    assert [status for name, status in task_summary(stored) if name == "verify"] == [STATUS.DONE]
    verify = tasks_of(stored, "verify")[0]
    assert verify.owner == verifier and verify.finished is not None  # assigned and done in one save


def test_the_flow_lock_is_taken_once_per_thread():
    _postgresql_only()  # SQLite has no SELECT ... FOR UPDATE to count
    lock = ProcessLock()
    process_pk = RepresentativeChangeProcess.objects.create(
        flow_class=RepresentativeChange, reference="RC-LOCK1", customer=_customer(), document_set=_document_set()
    ).pk
    with CaptureQueriesContext(connection) as queries:
        with lock(RepresentativeChange, process_pk):
            with lock(RepresentativeChange, process_pk):  # nested: no statement
                pass
        with lock(RepresentativeChange, process_pk):  # after the first one ended: taken again
            pass
    locks = [sql for sql in _statements(queries) if "FOR UPDATE" in sql]
    assert len(locks) == 2, _statements(queries)


@pytest.mark.django_db(transaction=True)
def test_the_flow_lock_held_by_one_thread_still_excludes_another():
    _postgresql_only()
    lock = ProcessLock(attempts=1)
    process_pk = RepresentativeChangeProcess.objects.create(
        flow_class=RepresentativeChange, reference="RC-LOCK2", customer=_customer(), document_set=_document_set()
    ).pk
    held, release, outcome = threading.Event(), threading.Event(), []

    def holder():
        try:
            with lock(RepresentativeChange, process_pk):
                held.set()
                release.wait(10)
        finally:
            connection.close()

    def other():
        try:
            with lock(RepresentativeChange, process_pk):
                outcome.append("locked")
        except FlowLockFailed:
            outcome.append("refused")
        finally:
            connection.close()

    first = threading.Thread(target=holder)
    first.start()
    assert held.wait(10)
    second = threading.Thread(target=other)
    second.start()
    second.join(10)
    release.set()
    first.join(10)
    assert outcome == ["refused"]
    with transaction.atomic(), lock(RepresentativeChange, process_pk):  # free again once the holder committed
        pass


def _customer():
    from tests import factories

    return factories.customer()


def _document_set():
    from documents.models import DocumentSet

    return DocumentSet.objects.create(reference=f"RC-SET{DocumentSet.objects.count() + 1}", customer=_customer())


# -- statements per step of a change of representative (flow_profile.py --sql lists them) -----------

#: As measured, savepoints not counted (the test's own transaction turns each step's transaction
#: into a savepoint): upload with its previews task, submit with the pre-check job, decide with
#: apply and notify. A change that adds statements to a step fails here. Start records the named
#: person and the representative at that moment (+3, authority); an upload counts the request's
#: documents under the set's lock (+2, the cap per request). Every message after a commit is an outbox
#: row, inserted and then marked relayed (+2 per message: the previews, the job); every e-mail is a row
#: too, locked and marked sent by its delivery (+5 per e-mail: one when starting, three when deciding).
#: Each line of the request's timeline asks which webhook endpoints want it (+1 per line: one when starting,
#: three when submitting, one when deciding).
STEP_LIMITS = {"start": 25, "upload": 12, "submit": 38, "decide": 60}


def test_statements_per_step_of_a_change_of_representative(story, django_capture_on_commit_callbacks):
    _postgresql_only()  # the production database; SQLite seals the audit chain in Python, with its own reads
    counts = {}
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    counts["start"] = len(_statements(queries))
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        upload(process, power_of_attorney(story.customer))
    counts["upload"] = len(_statements(queries))  # with the previews task, eager
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=customer_actor(story.representative))
    counts["submit"] = len(_statements(queries))  # with the pre-check job, eager
    verifier = staff("verifiers")
    task_id = task_of(process, "verify").pk
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        process = services.decide(task_id=task_id, user=verifier, decision="approve", actor=staff_actor(verifier))
    counts["decide"] = len(_statements(queries))
    assert process.outcome == "applied"
    assert all(counts[step] <= limit for step, limit in STEP_LIMITS.items()), counts
    assert sum(counts.values()) >= 100, counts  # the capture saw the steps (the eager tasks included)
